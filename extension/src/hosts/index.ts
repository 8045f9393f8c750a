import { gmail } from './gmail/adapter.ts'
import { outlook } from './outlook/adapter.ts'
import type { HostAdapter } from './types.ts'

export const hosts: HostAdapter[] = [gmail, outlook]

export function hostFor(hostname: string): HostAdapter | undefined {
  return hosts.find((host) => host.matches(hostname))
}
