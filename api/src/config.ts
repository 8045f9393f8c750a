import { randomBytes } from 'node:crypto'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { z } from '@signet/shared'

const flag = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', ''], { error: 'Use true or false.' })
  .transform((v) => v === '1' || v === 'true' || v === 'yes')

/**
 * Sized above the benchmark targets (2,000 resolves/s from one extension token, 5,000 clicks/s
 * from one network) so they only stop floods; lower them to what your traffic needs.
 */
export const RATE_LIMIT_DEFAULTS = { api: 120_000, tracking: 600_000 }

const perMinute = (name: string) =>
  z
    .string()
    .regex(/^\d+$/, `${name} must be a whole number of requests per minute (0 for no limit).`)
    .transform(Number)

const EnvSchema = z.object({
  PORT: z
    .string()
    .regex(/^\d+$/, 'PORT must be a whole number between 1 and 65535.')
    .transform(Number)
    .pipe(
      z
        .number()
        .int()
        .min(1, 'PORT must be between 1 and 65535.')
        .max(65535, 'PORT must be between 1 and 65535.'),
    )
    .default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\/\S+$/, 'DATABASE_URL must look like postgres://user@host:5432/database.')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  DATA_DIR: z.string().min(1).default('./data'),
  PUBLIC_BASE_URL: z
    .url({
      protocol: /^https?$/,
      error: 'PUBLIC_BASE_URL must be an http or https address such as https://signet.example.com.',
    })
    .transform((u) => u.replace(/\/+$/, ''))
    .optional(),
  SECRET: z
    .string()
    .min(32, 'SECRET must be at least 32 characters; leave it unset to generate one.')
    .optional(),
  TRUST_PROXY: flag.default(false),
  TOKEN_TTL_DAYS: z
    .string()
    .regex(/^\d+$/, 'TOKEN_TTL_DAYS must be a whole number of days.')
    .transform(Number)
    .default(30),
  DEMO_DATA: flag.default(true),
  RATE_LIMIT_API: perMinute('RATE_LIMIT_API').default(RATE_LIMIT_DEFAULTS.api),
  RATE_LIMIT_TRACKING: perMinute('RATE_LIMIT_TRACKING').default(RATE_LIMIT_DEFAULTS.tracking),
})

export interface Config {
  port: number
  host: string
  databaseUrl: string | undefined
  dataDir: string
  publicBaseUrl: string
  secret: string
  trustProxy: boolean
  tokenTtlDays: number
  demoData: boolean
  /** Authenticated requests per token and minute (0: no limit; RATE_LIMIT_DEFAULTS when not given). */
  rateLimitApi?: number
  /** Tracking requests per client network (/24, /48) and minute (0: no limit). */
  rateLimitTracking?: number
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `Signet cannot start, the configuration has problems:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    )
  }
}

/** Reads and checks the environment; every bad value is reported, each with its variable. */
export function parseEnv(env: Record<string, string | undefined>) {
  const known = Object.fromEntries(
    Object.keys(EnvSchema.shape).map((k) => [k, env[k] === '' ? undefined : env[k]]),
  )
  const parsed = EnvSchema.safeParse(known)
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const name = String(issue.path[0])
        return issue.message.includes(name) ? issue.message : `${name}: ${issue.message}`
      }),
    )
  }
  return parsed.data
}

/** The configuration, with SECRET generated and kept in DATA_DIR on first start when none is given. */
export async function loadConfig(env: Record<string, string | undefined> = process.env): Promise<Config> {
  const e = parseEnv(env)
  const dataDir = resolve(e.DATA_DIR)
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    dataDir,
    publicBaseUrl: e.PUBLIC_BASE_URL ?? `http://localhost:${e.PORT}`,
    secret: e.SECRET ?? (await persistedSecret(dataDir)),
    trustProxy: e.TRUST_PROXY,
    tokenTtlDays: e.TOKEN_TTL_DAYS,
    demoData: e.DEMO_DATA,
    rateLimitApi: e.RATE_LIMIT_API,
    rateLimitTracking: e.RATE_LIMIT_TRACKING,
  }
}

async function persistedSecret(dataDir: string): Promise<string> {
  const file = `${dataDir}/secret`
  try {
    const existing = (await readFile(file, 'utf8')).trim()
    if (existing.length >= 32) return existing
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
  }
  await mkdir(dataDir, { recursive: true })
  const secret = randomBytes(32).toString('base64url')
  await writeFile(file, `${secret}\n`, { mode: 0o600 })
  return secret
}
