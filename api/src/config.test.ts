import { mkdtemp, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig, parseEnv } from './config.ts'

function problems(env: Record<string, string>): string[] {
  try {
    parseEnv(env)
  } catch (error) {
    if (error instanceof ConfigError) return error.problems
    throw error
  }
  return []
}

describe('configuration from the environment', () => {
  it('has defaults for everything', () => {
    expect(parseEnv({})).toMatchObject({
      PORT: 3000,
      DATA_DIR: './data',
      TRUST_PROXY: false,
      DEMO_DATA: true,
      RATE_LIMIT_API: 120_000,
      RATE_LIMIT_TRACKING: 600_000,
    })
  })

  it.each([
    [{ PORT: 'abc' }, 'PORT must be a whole number between 1 and 65535.'],
    [{ PORT: '70000' }, 'PORT must be between 1 and 65535.'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL must look like postgres://user@host:5432/database.'],
    [
      { PUBLIC_BASE_URL: 'ftp://x.example' },
      'PUBLIC_BASE_URL must be an http or https address such as https://signet.example.com.',
    ],
    [{ SECRET: 'short' }, 'SECRET must be at least 32 characters; leave it unset to generate one.'],
    [{ TRUST_PROXY: 'maybe' }, 'TRUST_PROXY: Use true or false.'],
    [
      { RATE_LIMIT_API: 'lots' },
      'RATE_LIMIT_API must be a whole number of requests per minute (0 for no limit).',
    ],
  ])('explains the bad value in %j', (env, message) => {
    expect(problems(env)).toEqual([message])
  })

  it('reports every bad value at once', () => {
    expect(problems({ PORT: 'x', SECRET: 'y' })).toHaveLength(2)
  })

  it('generates a secret on first start and keeps it', async () => {
    const dir = await mkdtemp(`${tmpdir()}/signet-config-`)
    const first = await loadConfig({ DATA_DIR: dir })
    const second = await loadConfig({ DATA_DIR: dir })
    expect(first.secret.length).toBeGreaterThanOrEqual(32)
    expect(second.secret).toBe(first.secret)
    expect((await readFile(`${dir}/secret`, 'utf8')).trim()).toBe(first.secret)
    expect(first.publicBaseUrl).toBe('http://localhost:3000')
  })

  it('takes PUBLIC_BASE_URL without a trailing slash', async () => {
    const config = await loadConfig({
      DATA_DIR: await mkdtemp(`${tmpdir()}/signet-config-`),
      PUBLIC_BASE_URL: 'https://sig.example.com/',
    })
    expect(config.publicBaseUrl).toBe('https://sig.example.com')
  })
})
