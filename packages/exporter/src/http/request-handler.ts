import type { IncomingMessage, ServerResponse } from 'node:http';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { type Collector, render } from '@promkit/core';
import { acceptsGzip } from '@promkit/node';
import { describeError, type Logger } from '../log/logger';

const gzipAsync = promisify(gzip);
/** Below this a gzip header and trailer cost more than they save. */
const GZIP_MIN_BYTES = 1024;

export interface RequestHandlerOptions {
  readonly registry: Collector;
  readonly metricsPath: string;
  /** `Server` header value: `<name>/<version>`. */
  readonly serverHeader: string;
  /** HTML served at `/`. */
  readonly landingPage: string;
  /** Runs before each scrape; must not reject. */
  readonly beforeScrape: () => Promise<void>;
  readonly logger: Logger;
}

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * The exporter's whole HTTP surface: `/` (landing page), the metrics path (negotiated
 * by `Accept`, gzip when asked), 404 elsewhere, 405 for methods other than GET/HEAD.
 * Every response carries the `Server` header; each request is logged at debug level.
 */
export function createRequestHandler(options: RequestHandlerOptions): RequestHandler {
  const { metricsPath, serverHeader, logger } = options;
  const landingBody = Buffer.from(options.landingPage, 'utf8');

  return function handleExporterRequest(req, res) {
    const started = performance.now();
    res.setHeader('Server', serverHeader);
    if (logger.enabled('debug')) {
      res.once('close', () => logAccess(logger, req, res, started));
    }
    const url = req.url ?? '/';
    const queryAt = url.indexOf('?');
    const path = queryAt === -1 ? url : url.slice(0, queryAt);
    const isMetrics = path === metricsPath || decodedPath(path) === metricsPath;
    if (!isMetrics && path !== '/') {
      send(req, res, 404, 'text/plain; charset=utf-8', 'Not Found\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      send(req, res, 405, 'text/plain; charset=utf-8', 'Method Not Allowed\n');
      return;
    }
    if (!isMetrics) {
      send(req, res, 200, 'text/html; charset=utf-8', landingBody);
      return;
    }
    serveMetrics(options, req, res).catch((error: unknown) => {
      logger.error('cannot render metrics', { error: describeError(error) });
      if (!res.headersSent)
        send(req, res, 500, 'text/plain; charset=utf-8', 'Internal Server Error\n');
      else res.destroy();
    });
  };
}

async function serveMetrics(
  options: RequestHandlerOptions,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  await options.beforeScrape();
  const rendered = await render(options.registry, req.headers.accept);
  let body: Buffer =
    typeof rendered.body === 'string'
      ? Buffer.from(rendered.body, 'utf8')
      : Buffer.from(rendered.body.buffer, rendered.body.byteOffset, rendered.body.byteLength);
  res.setHeader('Vary', 'Accept, Accept-Encoding');
  if (body.length >= GZIP_MIN_BYTES && acceptsGzip(req.headers['accept-encoding'])) {
    body = await gzipAsync(body);
    res.setHeader('Content-Encoding', 'gzip');
  }
  send(req, res, 200, rendered.contentType, body);
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
  body: string | Buffer,
): void {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  res.statusCode = status;
  res.setHeader('Content-Type', contentType);
  res.setHeader('Content-Length', bytes.length);
  res.end(req.method === 'HEAD' ? undefined : bytes);
}

function logAccess(
  logger: Logger,
  req: IncomingMessage,
  res: ServerResponse,
  started: number,
): void {
  logger.debug('request', {
    method: req.method,
    path: req.url,
    status: res.statusCode,
    bytes: Number(res.getHeader('Content-Length') ?? 0),
    duration_ms: Math.round((performance.now() - started) * 1000) / 1000,
    remote: req.socket.remoteAddress,
    user_agent: req.headers['user-agent'],
    aborted: res.writableFinished ? undefined : true,
  });
}
