import { lookup } from 'node:dns/promises';
import type { Server } from 'node:http';
import { isIP } from 'node:net';
import { StartupError } from '../errors';

export interface Listening {
  readonly server: Server;
  readonly address: string;
  readonly port: number;
  /** `http://127.0.0.1:9091`, `https://[::1]:9091`. */
  readonly url: string;
}

/**
 * Binds one server per address of `hosts`: an IP literal is bound as given, a name is
 * bound on every address it resolves to. IPv6 sockets are IPv6-only (as asyncio does),
 * so `-H 0.0.0.0 -H ::` binds both families without a clash. With port 0 the first
 * server picks a port and the others reuse it. If any bind fails, the servers already
 * listening are closed and a `StartupError` names the address.
 */
export async function listenAll(
  hosts: readonly string[],
  port: number,
  createServer: () => Server,
  secure: boolean,
): Promise<Listening[]> {
  const addresses = await resolveHosts(hosts);
  const listening: Listening[] = [];
  let chosenPort = port;
  try {
    for (const address of addresses) {
      const server = createServer();
      const bound = await listenOne(server, address, chosenPort);
      chosenPort = bound;
      listening.push({ server, address, port: bound, url: serverUrl(secure, address, bound) });
    }
  } catch (error) {
    await closeAll(listening.map((l) => l.server));
    throw error;
  }
  return listening;
}

async function resolveHosts(hosts: readonly string[]): Promise<string[]> {
  const addresses = new Set<string>();
  for (const host of hosts) {
    const literal = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
    if (isIP(literal) !== 0) {
      addresses.add(literal);
      continue;
    }
    try {
      for (const { address } of await lookup(literal, { all: true })) addresses.add(address);
    } catch (error) {
      throw new StartupError(
        `cannot resolve host ${JSON.stringify(host)}: ${(error as Error).message}`,
        {
          cause: error,
        },
      );
    }
  }
  return [...addresses];
}

function listenOne(server: Server, address: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      const where = `cannot listen on ${hostPort(address, port)}`;
      reject(
        error.code === 'EADDRINUSE'
          ? new StartupError(`${where}: address already in use`)
          : new StartupError(`${where}: ${error.message}`, { cause: error }),
      );
    };
    server.once('error', onError);
    server.listen({ host: address, port, ipv6Only: isIP(address) === 6 }, () => {
      server.off('error', onError);
      const bound = server.address();
      resolve(typeof bound === 'object' && bound !== null ? bound.port : port);
    });
  });
}

/** Stops accepting, lets in-flight responses finish for up to `graceMs`, then drops the rest. */
export async function closeAll(servers: readonly Server[], graceMs = 3000): Promise<void> {
  await Promise.all(
    servers.map(
      (server) =>
        new Promise<void>((resolve) => {
          if (!server.listening) {
            resolve();
            return;
          }
          const force = setTimeout(() => server.closeAllConnections(), graceMs);
          force.unref();
          server.close(() => {
            clearTimeout(force);
            resolve();
          });
          server.closeIdleConnections();
        }),
    ),
  );
}

function hostPort(address: string, port: number): string {
  return isIP(address) === 6 ? `[${address}]:${port}` : `${address}:${port}`;
}

function serverUrl(secure: boolean, address: string, port: number): string {
  const host = isIP(address) === 6 ? `[${address.replace('%', '%25')}]` : address;
  return `${secure ? 'https' : 'http'}://${host}:${port}`;
}
