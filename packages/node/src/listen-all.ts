import { lookup } from 'node:dns/promises';
import type { Server } from 'node:http';
import { isIP } from 'node:net';
import { ServiceListenError } from './errors';

/**
 * Binds one server per address of `hosts`: an IP literal is bound as given, a name is
 * bound on every address it resolves to. IPv6 sockets are IPv6-only, so `0.0.0.0` and
 * `::` bind both families without a clash. With port 0 the first server picks a port and
 * the others reuse it. If any bind fails, the servers already listening are closed and a
 * `ServiceListenError` names the address. No hosts: one server on every interface.
 */
export async function listenAll(
  hosts: readonly string[],
  port: number,
  createServer: () => Server,
): Promise<Server[]> {
  const addresses = hosts.length === 0 ? [undefined] : await resolveHosts(hosts);
  const listening: Server[] = [];
  let chosenPort = port;
  try {
    for (const address of addresses) {
      const server = createServer();
      chosenPort = await listenOne(server, address, chosenPort);
      listening.push(server);
    }
  } catch (error) {
    await closeAll(listening, 0);
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
    } catch (cause) {
      throw new ServiceListenError(
        `cannot resolve host ${JSON.stringify(host)}: ${(cause as Error).message}`,
        { cause },
      );
    }
  }
  return [...addresses];
}

function listenOne(server: Server, address: string | undefined, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (cause: NodeJS.ErrnoException): void => {
      const where = `cannot listen on ${hostPort(address, port)}`;
      const why = cause.code === 'EADDRINUSE' ? 'address already in use' : cause.message;
      reject(new ServiceListenError(`${where}: ${why}`, { cause }));
    };
    server.once('error', onError);
    const ipv6Only = address !== undefined && isIP(address) === 6;
    server.listen({ host: address, port, ipv6Only }, () => {
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

function hostPort(address: string | undefined, port: number): string {
  if (address === undefined) return `*:${port}`;
  return isIP(address) === 6 ? `[${address}]:${port}` : `${address}:${port}`;
}
