import { build } from 'vite'

/** Builds the dashboard once before the browser tests, so `npm test` works on a fresh clone. */
export default async function setup() {
  await build({ configFile: new URL('../vite.config.ts', import.meta.url).pathname, logLevel: 'warn' })
}
