import { createServer, type RequestListener, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';

// Longer than any client's keep-alive (undici: 4 s), so the sandbox never closes a socket a client is about to
// reuse: that would look like a wallet fault that was not asked for.
const KEEP_ALIVE_TIMEOUT_MS = 65_000;

/**
 * One HTTP listener that can be closed and reopened on the same port. Closing also drops every open
 * connection, so clients with pooled keep-alive sockets see "offline" (ECONNREFUSED) at once.
 */
export class ApiListener {
  private server: Server | undefined;
  private port: number;

  constructor(
    private readonly handler: RequestListener,
    private readonly host: string,
    port: number,
  ) {
    this.port = port;
  }

  get isOpen(): boolean {
    return this.server !== undefined;
  }

  /** `http://host:port`, with the port the OS chose when it was started on port 0. */
  get url(): string {
    return `http://${this.host.includes(':') ? `[${this.host}]` : this.host}:${this.port}`;
  }

  async open(): Promise<void> {
    if (this.server !== undefined) return;
    const server = createServer({ keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS }, this.handler);
    server.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, this.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    // Reopened later on the same port, so a client configured with this URL reaches it again.
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (server === undefined) return;
    this.server = undefined;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
  }
}
