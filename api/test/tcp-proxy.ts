import { createServer, type Server, Socket } from 'node:net'

/**
 * A TCP proxy in front of PostgreSQL that a test can cut (every connection reset, new ones
 * refused) and restore on the same port: a database outage without touching the shared server.
 */
export class TcpProxy {
  private server: Server | undefined
  private sockets = new Set<Socket>()
  port = 0

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  /** Starts listening (on a free port the first time, on the same port after a cut). */
  open(): Promise<void> {
    return new Promise((resolve) => {
      this.server = createServer((client) => {
        const upstream = new Socket().connect(this.targetPort, this.targetHost)
        for (const s of [client, upstream]) {
          this.sockets.add(s)
          s.on('close', () => this.sockets.delete(s))
          s.on('error', () => {})
        }
        client.pipe(upstream).pipe(client)
      })
      this.server.listen(this.port, '127.0.0.1', () => {
        this.port = (this.server!.address() as { port: number }).port
        resolve()
      })
    })
  }

  cut() {
    this.server?.close()
    for (const s of this.sockets) s.destroy()
  }

  /** `url` with its host replaced by this proxy. */
  url(url: string): string {
    const u = new URL(url)
    u.host = `127.0.0.1:${this.port}`
    return u.toString()
  }

  /** Waits until every proxied connection has closed (pg's pool.end() does not wait for its sockets). */
  async drained() {
    for (let n = 0; this.sockets.size && n < 100; n++) await new Promise((r) => setTimeout(r, 20))
  }
}
