import { type ChildProcess, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import pg from 'pg'
import { afterAll, describe, expect, it } from 'vitest'
import { withDatabase } from '../test/global-setup.ts'

/**
 * `npm start`'s server as a user runs it: a real process on a real port, first start on an empty
 * database, demo credentials and sample data, sign-in over HTTP, graceful stop on SIGTERM.
 */
const children: ChildProcess[] = []
const databases: string[] = []
afterAll(async () => {
  for (const child of children) child.kill('SIGKILL')
  if (!process.env.DATABASE_URL || !databases.length) return
  const admin = new pg.Client({ connectionString: process.env.DATABASE_URL })
  await admin.connect()
  for (const name of databases) await admin.query(`drop database if exists ${name} with (force)`)
  await admin.end()
})

async function freshDatabaseUrl(): Promise<string | undefined> {
  const url = process.env.DATABASE_URL
  if (!url) return undefined
  const name = `signet_start_${randomBytes(4).toString('hex')}`
  const admin = new pg.Client({ connectionString: url })
  await admin.connect()
  await admin.query(`create database ${name}`)
  databases.push(name)
  await admin.end()
  return withDatabase(url, name)
}

function start(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'api/src/main.ts'], {
    cwd: new URL('../..', import.meta.url).pathname,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  children.push(child)
  let output = ''
  child.stdout!.on('data', (d) => {
    output += d
  })
  child.stderr!.on('data', (d) => {
    output += d
  })
  const waitFor = (pattern: RegExp, ms = 45_000) =>
    new Promise<RegExpMatchArray>((resolve, reject) => {
      const timer = setInterval(() => {
        const match = output.match(pattern)
        if (match) {
          clearInterval(timer)
          resolve(match)
        }
      }, 50)
      setTimeout(() => {
        clearInterval(timer)
        reject(new Error(`timed out waiting for ${pattern}; output:\n${output}`))
      }, ms)
    })
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  return { child, waitFor, exited, output: () => output }
}

describe('starting the API', () => {
  it('migrates, seeds a demo workspace, prints how to sign in, and stops cleanly on SIGTERM', async () => {
    const dataDir = await mkdtemp(`${tmpdir()}/signet-start-`)
    const port = String(20_000 + Math.floor(Math.random() * 20_000))
    const databaseUrl = (await freshDatabaseUrl()) ?? ''
    const server = start({ DATA_DIR: dataDir, PORT: port, DATABASE_URL: databaseUrl, SECRET: '' })
    const [, email, password] = await server.waitFor(/demo sign-in: (\S+) \/ (\S+)/)
    await server.waitFor(/API listening on/)
    const res = await fetch(`http://127.0.0.1:${port}/api/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    })
    expect(res.status).toBe(200)
    const session = (await res.json()) as {
      token: string
      user: { role: string }
      workspace: { name: string }
    }
    expect(session.user.role).toBe('admin')
    expect(session.workspace.name).toBe('Demo Company')
    const get = async (path: string) =>
      (
        await fetch(`http://127.0.0.1:${port}${path}`, {
          headers: { authorization: `Bearer ${session.token}` },
        })
      ).json() as Promise<any>
    expect((await get('/api/accounts')).total).toBe(3)
    expect((await get('/api/contacts')).total).toBe(5)
    const groups = await get('/api/target-groups')
    expect((groups.items ?? groups).map((g: { name: string }) => g.name).sort()).toEqual([
      'Key accounts',
      'Webinar guests',
    ])
    server.child.kill('SIGTERM')
    expect(await server.exited).toBe(0)
    expect(server.output()).toContain('SIGTERM: shutting down')

    // A second start finds the data, seeds nothing new and prints the same credentials.
    const again = start({ DATA_DIR: dataDir, PORT: port, DATABASE_URL: databaseUrl, SECRET: '' })
    const [, email2, password2] = await again.waitFor(/demo sign-in: (\S+) \/ (\S+)/)
    expect([email2, password2]).toEqual([email, password])
    again.child.kill('SIGINT')
    expect(await again.exited).toBe(0)
  }, 120_000)

  it('refuses to start with a bad configuration, naming the variable', async () => {
    const server = start({ PORT: 'eighty', DATA_DIR: await mkdtemp(`${tmpdir()}/signet-start-`) })
    expect(await server.exited).toBe(1)
    expect(server.output()).toContain('PORT must be a whole number between 1 and 65535.')
  })
})
