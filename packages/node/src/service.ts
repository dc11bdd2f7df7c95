import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { promisify } from 'node:util';
import { createGzip, gzip } from 'node:zlib';
import {
  type Collector,
  ConfigError,
  type MetricsAuth,
  REGISTRY,
  renderStream,
  StoreUnavailableError,
} from '@promkit/core';
import { acceptsGzip } from './accepts-gzip';
import { ServiceListenError, ServiceNotStartedError } from './errors';
import { type AuthCheck, createAuthCheck } from './http-auth';
import { indexPage } from './index-page';

const gzipAsync = promisify(gzip);

const TEXT_PLAIN = 'text/plain; charset=utf-8';
const ROBOTS_TXT = 'User-agent: *\nDisallow: /\n';
const ALLOWED_METHODS = 'GET, HEAD';
/** Pages with more series than this are streamed (chunked) instead of buffered. */
const STREAM_ABOVE_POINTS = 10_000;

/** PEM text or bytes, as `node:tls` takes them. */
export type Pem = string | Buffer;

export interface ServiceTlsOptions {
  /** Private key (PEM). */
  readonly key: Pem;
  /** Certificate chain (PEM). */
  readonly cert: Pem;
  /** CA certificates that client certificates must chain to (PEM). */
  readonly ca?: Pem | readonly Pem[];
  /** Demand a client certificate signed by `ca` and reject clients without one. */
  readonly requestClientCert?: boolean;
}

export interface ServiceOptions {
  /** What `/metrics` renders: a registry or anything with `collect()`. Default `REGISTRY`. */
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
  /** Told when rendering the metrics page fails (the client gets a 500). Default: `console.warn`. */
  readonly onError?: (error: unknown) => void;
}

export interface ServiceStartOptions {
  /** Interface to listen on. Default: every interface (Node's default). */
  readonly host?: string;
  /** Port; 0 (the default) lets the OS pick a free one. */
  readonly port?: number;
}

/**
 * A standalone metrics HTTP(S) server on `node:http`: `/` (HTML index), the metrics
 * path (content-negotiated, optionally gzipped and behind basic/bearer auth),
 * `/robots.txt` and `/healthz`.
 *
 * @example
 * const service = new Service({ registry: REGISTRY });
 * await service.start({ host: '127.0.0.1', port: 9100 });
 * console.log(`scrape ${service.metricsUrl}`);
 * await service.stop();
 */
export class Service {
  readonly metricsPath: string;
  private readonly registry: Collector;
  private readonly auth: AuthCheck | undefined;
  private readonly tls: ServiceTlsOptions | undefined;
  private readonly compression: boolean;
  private readonly indexHtml: string;
  private readonly onError: (error: unknown) => void;
  private server: Server | undefined;
  private address: AddressInfo | undefined;
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
    this.registry = options.registry ?? REGISTRY;
    if (typeof this.registry?.collect !== 'function') {
      throw new ConfigError('Service: registry needs a collect() method');
    }
    this.auth = createAuthCheck(options.auth, options.realm);
    this.tls = options.tls;
    if (this.tls?.requestClientCert === true && this.tls.ca === undefined) {
      throw new ConfigError(
        'Service: tls.requestClientCert needs tls.ca to verify client certificates',
      );
    }
    this.compression = options.compression ?? true;
    this.indexHtml = indexPage(options.title ?? 'promkit metrics', metricsPath);
    this.onError =
      options.onError ??
      ((error) => console.warn(`promkit Service: rendering metrics failed: ${String(error)}`));
  }

  /** Whether the server is listening. */
  get listening(): boolean {
    return this.address !== undefined;
  }

  /** `http(s)://host:port` the service listens on. Throws `ServiceNotStartedError` before `start()`. */
  get url(): string {
    const address = this.requireAddress();
    const scheme = this.tls === undefined ? 'http' : 'https';
    return `${scheme}://${urlHost(address)}:${address.port}`;
  }

  /** The full URL of the metrics page. Throws `ServiceNotStartedError` before `start()`. */
  get metricsUrl(): string {
    return `${this.url}${this.metricsPath}`;
  }

  /** The port the service listens on. Throws `ServiceNotStartedError` before `start()`. */
  get port(): number {
    return this.requireAddress().port;
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

  private requireAddress(): AddressInfo {
    if (this.address === undefined) {
      throw new ServiceNotStartedError(
        'Service is not listening: await service.start() before reading its url, metricsUrl or port',
      );
    }
    return this.address;
  }

  private async listen(options: ServiceStartOptions): Promise<void> {
    if (this.server !== undefined) return;
    const port = options.port ?? 0;
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      throw new ConfigError(`Service.start: port must be an integer 0–65535, got ${port}`);
    }
    const handler = (req: IncomingMessage, res: ServerResponse): void => {
      this.handle(req, res).catch((error: unknown) => this.fail(res, error));
    };
    const tls = this.tls;
    const server =
      tls === undefined
        ? createServer(handler)
        : createHttpsServer(
            {
              key: tls.key,
              cert: tls.cert,
              ...(tls.ca === undefined ? {} : { ca: tls.ca as Pem | Pem[] }),
              requestCert: tls.requestClientCert === true,
              rejectUnauthorized: tls.requestClientCert === true,
            },
            handler,
          );
    await new Promise<void>((resolve, reject) => {
      const onError = (cause: Error): void => {
        const where = `${options.host ?? '*'}:${port}`;
        reject(
          new ServiceListenError(`Service could not listen on ${where}: ${cause.message}`, {
            cause,
          }),
        );
      };
      server.once('error', onError);
      server.listen(port, options.host, () => {
        server.removeListener('error', onError);
        resolve();
      });
    });
    this.server = server;
    this.address = server.address() as AddressInfo;
  }

  private async close(): Promise<void> {
    const server = this.server;
    if (server === undefined) return;
    this.server = undefined;
    this.address = undefined;
    await new Promise<void>((resolve, reject) => {
      server.close((error) => (error === undefined ? resolve() : reject(error)));
      server.closeIdleConnections();
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const rawUrl = req.url ?? '/';
    const query = rawUrl.indexOf('?');
    const path = query === -1 ? rawUrl : rawUrl.slice(0, query);
    const isKnown =
      path === this.metricsPath || path === '/' || path === '/robots.txt' || path === '/healthz';
    if (!isKnown) {
      send(req, res, 404, TEXT_PLAIN, 'Not Found\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', ALLOWED_METHODS);
      send(req, res, 405, TEXT_PLAIN, 'Method Not Allowed\n');
      return;
    }
    if (path === this.metricsPath) {
      await this.serveMetrics(req, res);
    } else if (path === '/') {
      send(req, res, 200, 'text/html; charset=utf-8', this.indexHtml);
    } else if (path === '/robots.txt') {
      send(req, res, 200, TEXT_PLAIN, ROBOTS_TXT);
    } else {
      send(req, res, 200, TEXT_PLAIN, 'OK\n');
    }
  }

  private async serveMetrics(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (this.auth !== undefined && !(await this.auth.isAuthorized(req.headers.authorization))) {
      res.setHeader('WWW-Authenticate', this.auth.challenge);
      send(req, res, 401, TEXT_PLAIN, 'Unauthorized\n');
      return;
    }
    const rendered = await renderStream(this.registry, req.headers.accept);
    const zip = this.compression && acceptsGzip(req.headers['accept-encoding']);
    res.setHeader('Vary', this.compression ? 'Accept, Accept-Encoding' : 'Accept');
    res.setHeader('Cache-Control', 'no-store');
    if (zip) res.setHeader('Content-Encoding', 'gzip');
    const source = Readable.fromWeb(rendered.body as NodeReadableStream<Uint8Array>);
    if (rendered.points > STREAM_ABOVE_POINTS && req.method !== 'HEAD') {
      // A large page goes out as it is made (chunked), never held whole next to its gzip.
      res.statusCode = 200;
      res.setHeader('Content-Type', rendered.contentType);
      await (zip ? pipeline(source, createGzip(), res) : pipeline(source, res));
      return;
    }
    let body = Buffer.concat(await source.toArray());
    if (zip) body = await gzipAsync(body);
    send(req, res, 200, rendered.contentType, body);
  }

  private fail(res: ServerResponse, error: unknown): void {
    this.onError(error);
    if (res.headersSent) {
      res.destroy();
      return;
    }
    res.removeHeader('Content-Encoding');
    res.setHeader('Content-Type', TEXT_PLAIN);
    if (error instanceof StoreUnavailableError) {
      res.statusCode = 503;
      res.setHeader('Retry-After', '5');
      res.end(`Service Unavailable: ${error.message}\n`);
      return;
    }
    res.statusCode = 500;
    res.end('Internal Server Error\n');
  }
}

function send(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  contentType: string,
  body: string | Buffer,
): void {
  res.statusCode = status;
  res.setHeader('Content-Type', contentType);
  res.setHeader('Content-Length', typeof body === 'string' ? Buffer.byteLength(body) : body.length);
  if (req.method === 'HEAD') res.end();
  else res.end(body);
}

/** The host part of a URL reaching `address`; a wildcard address is reached on loopback. */
function urlHost(address: AddressInfo): string {
  if (address.address === '0.0.0.0') return '127.0.0.1';
  if (address.address === '::') return '127.0.0.1';
  return address.family === 'IPv6' ? `[${address.address}]` : address.address;
}
