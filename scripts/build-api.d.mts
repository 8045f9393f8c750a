/** Types of `build-api.mjs` for the TypeScript that starts compiled API processes. */
export const API_DIST: string
export const API_NODE_FLAGS: string[]
export function buildApi(outdir?: string): Promise<string[]>
