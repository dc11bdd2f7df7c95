import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { TLSSocket } from 'node:tls';
import { type Collector, ConfigError, type MetricsAuth, REGISTRY } from '@promkit/core';
import { type MetricsResponder, metricsResponder } from '@promkit/core/http';
import { ServiceNotStartedError } from './errors';
import { indexPage } from './index-page';
import { closeAll, listenAll } from './listen-all';
import { type ResolvedTls, resolveTls, type ServiceTlsOptions } from './service-tls';

const TEXT_PLAIN = 'text/plain; charset=utf-8';
const ROBOTS_TXT = 'User-agent: *\nDisallow: /\n';
const ALLOWED_METHODS = 'GET, HEAD';

export interface ServiceOptions {
  /** What the metrics path renders: a registry or anything with `collect()`. Default `REGISTRY`. */
  readonly registry?: Collector;
  /** Path of the metrics page. Default `/metrics`. */
  readonly metricsPath?: string;
  /**
   * Protects the metrics path (only it): `{ username, password }` for Basic auth,
   * `{ bearer }` for a bearer token, or a function of the `Authorization` header.
   * Unauthorized scrapes get 401 with a `WWW-Authenticate` challenge.
   */
  readonly auth?: MetricsAuth;
  /** Realm named in the `WWW-Authenticate` challenge. Default `metrics`. */
  readonly realm?: string;
  /** Serve HTTPS with this key and certificate. */
  readonly tls?: ServiceTlsOptions;
  /** Gzip the metrics page when the client accepts gzip. Default true. */
  readonly compression?: boolean;
  /** Title of the HTML index page. Default `promkit metrics`. */
  readonly title?: string;
  /** A paragraph on the index page under the title. */
  readonly description?: string;
  /** The index page's `<meta name="generator">`, e.g. `my-exporter/1.2.0`. */
  readonly generator?: string;
  /**
   * Runs before each authorized scrape renders (e.g. to refresh values); a rejection
   * answers 500 and goes to `onError`.
   */
  readonly beforeScrape?: () => void | Promise<void>;
  /** Headers added to every response, e.g. `{ Server: 'my-exporter/1.2.0' }`. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Called first for every request, e.g. to log it when `res` closes. Must not throw. */
  readonly onRequest?: (req: IncomingMessage, res: ServerResponse) => void;
  /** Told when a TLS client is refused (handshake failure or client certificate policy). */
  readonly onTlsClientError?: (error: Error & { reason?: string }, remoteAddress?: string) => void;
  /**
   * Told when a scrape fails: an unavailable store (the client gets 503) or anything
   * else (500). Default: `console.warn`.
   */
  readonly onError?: (error: unknown) => void;
}

export interface ServiceStartOptions {
  /**
   * Interface(s) to listen on: IP literals or names (a name binds every address it
   * resolves to). Default: every interface (Node's default).
   */
  readonly host?: string | readonly string[];
  /** Port; 0 (the default) lets the OS pick a free one, shared by every host. */
  readonly port?: number;
}

/**
 * A standalone metrics HTTP(S) server on `node:http`: `/` (HTML index), the metrics
 * path (core's metrics responder: negotiated, gzipped, optionally behind basic/bearer
 * auth), `/robots.txt` and `/healthz`, on one or several addresses.
 *
 * @example
 * const service = new Service({ registry: REGISTRY });
 * await service.start({ host: '127.0.0.1', port: 9100 });
 * console.log(`scrape ${service.metricsUrl}`);
 * await service.stop();
 */
export class Service {
  readonly metricsPath: string;
  private readonly respond: MetricsResponder;
  private readonly tls: ResolvedTls | undefined;
  private readonly indexHtml: string;
  private readonly headers: Readonly<Record<string, string>>;
  private readonly onRequest: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;
  private readonly onTlsClientError: ServiceOptions['onTlsClientError'];
  private servers: Server[] = [];
  private addresses: AddressInfo[] = [];
  // start() and stop() run one after the other, so a stop during a start waits for it.
  private transition: Promise<void> = Promise.resolve();

  constructor(options: ServiceOptions = {}) {
    const metricsPath = options.metricsPath ?? '/metrics';
    if (!metricsPath.startsWith('/') || metricsPath === '/' || /[?#\s]/.test(metricsPath)) {
      throw new ConfigError(
        `Service: metricsPath must be a path other than "/" without query or spaces, got ${JSON.stringify(metricsPath)}`,
      );
    }
    this.metricsPath = metricsPath;
    const registry = options.registry ?? REGISTRY;
    if (typeof registry?.collect !== 'function') {
      throw new ConfigError('Service: registry needs a collect() method');
    }
    const beforeScrape = options.beforeScrape;
    const source = beforeScrape === undefined ? registry : withHook(registry, beforeScrape);
    this.respond = metricsResponder({
      registry: source,
      ...(options.auth === undefined ? {} : { auth: options.auth }),
      ...(options.realm === undefined ? {} : { realm: options.realm }),
      compression: options.compression ?? true,
      onError:
        options.onError ??
        ((error) => console.warn(`promkit Service: serving metrics failed: ${String(error)}`)),
    });
    this.tls = options.tls === undefined ? undefined : resolveTls(options.tls);
    this.indexHtml = indexPage({
      title: options.title ?? 'promkit metrics',
      metricsPath,
      ...(options.description === undefined ? {} : { description: options.description }),
      ...(options.generator === undefined ? {} : { generator: options.generator }),
    });
    this.headers = { ...options.headers };
    this.onRequest = options.onRequest;
    this.onTlsClientError = options.onTlsClientError;
  }

  /** Whether the server is listening. */
  get listening(): boolean {
    return this.addresses.length > 0;
  }

  /** `http(s)://host:port` of the first address. Throws `ServiceNotStartedError` before `start()`. */
  get url(): string {
    return this.urls[0]!;
  }

  /** One `http(s)://host:port` per bound address. Throws `ServiceNotStartedError` before `start()`. */
  get urls(): string[] {
    const scheme = this.tls === undefined ? 'http' : 'https';
    return this.requireAddresses().map((a) => `${scheme}://${urlHost(a)}:${a.port}`);
  }

  /** The full URL of the metrics page. Throws `ServiceNotStartedError` before `start()`. */
  get metricsUrl(): string {
    return `${this.url}${this.metricsPath}`;
  }

  /** The port the service listens on. Throws `ServiceNotStartedError` before `start()`. */
  get port(): number {
    return this.requireAddresses()[0]!.port;
  }

  /** The listening `node:http`/`node:https` servers, one per address; empty when stopped. */
  get httpServers(): readonly Server[] {
    return [...this.servers];
  }

  /** Starts listening. Calling it while started does nothing. */
  start(options: ServiceStartOptions = {}): Promise<void> {
    const next = this.transition.then(() => this.listen(options));
    this.transition = next.catch(() => {});
    return next;
  }

  /** Stops listening and waits for open requests to finish. Calling it while stopped does nothing. */
  stop(): Promise<void> {
    const next = this.transition.then(() => this.close());
    this.transition = next.catch(() => {});
    return next;
  }

  private requireAddresses(): AddressInfo[] {
    if (this.addresses.length === 0) {
      throw new ServiceNotStartedError(
        'Service is not listening: await service.start() before reading its url, metricsUrl or port',
      );
    }
    return this.addresses;
  }

  private async listen(options: ServiceStartOptions): Promise<void> {
    if (this.servers.length > 0) return;
    const port = options.port ?? 0;
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      throw new ConfigError(`Service.start: port must be an integer 0–65535, got ${port}`);
    }
    const host = options.host;
    const hosts = host === undefined ? [] : typeof host === 'string' ? [host] : [...host];
    const handler = (req: IncomingMessage, res: ServerResponse): void => this.handle(req, res);
    const servers = await listenAll(hosts, port, () => this.createServer(handler));
    this.servers = servers;
    this.addresses = servers.map((server) => server.address() as AddressInfo);
  }

  private createServer(handler: (req: IncomingMessage, res: ServerResponse) => void): Server {
    const tls = this.tls;
    if (tls === undefined) return createServer(handler);
    const server = createHttpsServer(tls.serverOptions, handler);
    const report = (error: Error, remote: string | undefined): void => {
      try {
        this.onTlsClientError?.(error, remote);
      } catch {
        // A reporter must not take the server down.
      }
    };
    server.on('tlsClientError', (error: Error, socket: TLSSocket) => {
      report(error, socket.remoteAddress);
    });
    server.on('secureConnection', (socket: TLSSocket) => {
      const reason = tls.refuse(socket);
      if (reason === undefined) return;
      report(Object.assign(new Error(reason), { reason }), socket.remoteAddress);
      socket.destroy();
    });
    return server;
  }

  private async close(): Promise<void> {
    const servers = this.servers;
    this.servers = [];
    this.addresses = [];
    await closeAll(servers);
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    for (const name in this.headers) res.setHeader(name, this.headers[name]!);
    if (this.onRequest !== undefined) {
      try {
        this.onRequest(req, res);
      } catch {
        // Logging hooks must not break the answer.
      }
    }
    const rawUrl = req.url ?? '/';
    const query = rawUrl.indexOf('?');
    const path = query === -1 ? rawUrl : rawUrl.slice(0, query);
    const isMetrics = path === this.metricsPath || decodedPath(path) === this.metricsPath;
    const isKnown = isMetrics || path === '/' || path === '/robots.txt' || path === '/healthz';
    if (!isKnown) {
      send(req, res, 404, TEXT_PLAIN, 'Not Found\n');
    } else if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', ALLOWED_METHODS);
      send(req, res, 405, TEXT_PLAIN, 'Method Not Allowed\n');
    } else if (isMetrics) {
      void this.serveMetrics(req, res);
    } else if (path === '/') {
      send(req, res, 200, 'text/html; charset=utf-8', this.indexHtml);
    } else if (path === '/robots.txt') {
      send(req, res, 200, TEXT_PLAIN, ROBOTS_TXT);
    } else {
      send(req, res, 200, TEXT_PLAIN, 'OK\n');
    }
  }

  private async serveMetrics(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { status, headers, body } = await this.respond({
      method: req.method,
      accept: req.headers.accept,
      acceptEncoding: req.headers['accept-encoding'],
      authorization: req.headers.authorization,
    });
    res.writeHead(status, headers);
    if (body instanceof ReadableStream) {
      // A large page goes out as it is made (chunked), never held whole next to its gzip.
      // A client that leaves mid-page destroys both ends: nothing to report.
      await pipeline(Readable.fromWeb(body as never), res).catch(() => {});
    } else res.end(body ?? undefined);
  }
}

/** What `render` reads from a registry besides `collect()` (name validation, collisions). */
interface NamingRegistry extends Collector {
  readonly nameValidation?: unknown;
  reportNameCollision?(message: string): void;
  snapshot?(): Promise<unknown>;
}

/** `registry` with `hook` run before each collect; what else render reads is passed through. */
function withHook(registry: Collector, hook: () => void | Promise<void>): Collector {
  const naming = registry as NamingRegistry;
  const snapshot = naming.snapshot;
  return {
    // A registry's sliced snapshot (lazy families) is kept, hook first.
    ...(typeof snapshot === 'function'
      ? {
          async snapshot() {
            await hook();
            return snapshot.call(registry);
          },
        }
      : {}),
    get nameValidation() {
      return naming.nameValidation;
    },
    reportNameCollision: (message: string) => naming.reportNameCollision?.(message),
    async collect() {
      await hook();
      return registry.collect();
    },
  } as Collector;
}

/** Clients percent-encode characters of a configured path that a URL may not hold raw. */
function decodedPath(path: string): string | undefined {
  if (!path.includes('%')) return undefined;
  try {
    return decodeURIComponent(path);
  } catch {
    return undefined;
  }
}

function send(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  contentType: string,
  body: string,
): void {
  res.statusCode = status;
  res.setHeader('Content-Type', contentType);
  res.setHeader('Content-Length', Buffer.byteLength(body));
  if (req.method === 'HEAD') res.end();
  else res.end(body);
}

/** The host part of a URL reaching `address`; a wildcard address is reached on loopback. */
function urlHost(address: AddressInfo): string {
  if (address.address === '0.0.0.0') return '127.0.0.1';
  if (address.address === '::') return '127.0.0.1';
  return address.family === 'IPv6' ? `[${address.address.replace('%', '%25')}]` : address.address;
}
