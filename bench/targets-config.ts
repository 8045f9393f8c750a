import type { Config } from '../api/src/config.ts'

/** The app configuration the benchmark runs with (no vitest here, so not the test helpers). */
export function testConfig(): Config {
  return {
    port: 0,
    host: '127.0.0.1',
    databaseUrl: undefined,
    dataDir: '/nonexistent',
    publicBaseUrl: 'https://signet.bench',
    secret: 'bench-secret-bench-secret-bench-secret-01',
    trustProxy: true,
    tokenTtlDays: 30,
    demoData: false,
  }
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url)
  u.pathname = `/${database}`
  return u.toString()
}
