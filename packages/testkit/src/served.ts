import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A test server on a loopback port, and how to stop it. */
export interface Served {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  readonly baseUrl: string;
  readonly port: number;
  /** Drops open connections (keep-alive included) and closes the server. */
  close(): Promise<void>;
}

/**
 * Waits until `server` listens (it may already) and returns its URL and a `close` that
 * does not wait for idle keep-alive connections.
 *
 * @example
 * const { baseUrl, close } = await served(app.listen(0, '127.0.0.1'));
 */
export async function served(server: Server): Promise<Served> {
  if (!server.listening) await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    port,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
