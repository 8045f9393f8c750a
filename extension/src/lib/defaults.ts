import type { ExtensionConfig } from '@signet/shared/extension'

/**
 * The configuration used until the API has sent one (first start, API unreachable). The debounce
 * is short enough that a recipient change shows its banner within the 300 ms target on a local API.
 */
export const DEFAULT_CONFIG: ExtensionConfig = {
  disabledFeatures: [],
  clientSignature: 'keep',
  resolveDebounceMs: 150,
}
