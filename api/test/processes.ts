import { type ChildProcess, spawn } from 'node:child_process'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'

const root = new URL('../../', import.meta.url).pathname

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  return port
}

/**
 * A real API process (`api/src/main.ts`) on `databaseUrl`, started and listening. Several over one
 * PostgreSQL database stand for an API scaled out behind a load balancer.
 */
export async function startApi(
  databaseUrl: string,
  secret: string,
): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort()
  const child = spawn(process.execPath, ['--import', 'tsx', 'api/src/main.ts'], {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      SECRET: secret,
      DEMO_DATA: 'false',
      DATA_DIR: `${tmpdir()}/signet-processes-${port}`,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`API did not start:\n${output}`)), 60_000)
    const read = (chunk: Buffer) => {
      output += chunk.toString()
      if (output.includes('API listening')) {
        clearTimeout(timer)
        resolve()
      }
    }
    child.stdout!.on('data', read)
    child.stderr!.on('data', read)
    child.once('exit', (code) => reject(new Error(`API exited with ${code}:\n${output}`)))
  })
  return { url: `http://127.0.0.1:${port}`, child }
}

/** Stops API processes with SIGTERM (their graceful shutdown) and waits for them to exit. */
export async function stopApis(apis: { child: ChildProcess }[]) {
  for (const api of apis) {
    if (api.child.exitCode !== null) continue
    const exited = new Promise((resolve) => api.child.once('exit', resolve))
    api.child.kill('SIGTERM')
    await exited
  }
}
