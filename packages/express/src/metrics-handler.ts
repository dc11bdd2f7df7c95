import { Readable } from 'node:stream';
import type { MetricsHandlerOptions } from '@promkit/core';
import { metricsResponder } from '@promkit/core/http';
import type { Request, RequestHandler, Response } from 'express';
import { trackerOf } from './metrics-middleware';

/**
 * Serves the registry in the format the scraper's `Accept` header asks for (text 0.0.4,
 * OpenMetrics or protobuf), gzipped when accepted, with HEAD, auth and a 503 for an
 * unavailable store: core's one metrics responder. Requests to it are never counted.
 *
 * @example
 * app.get('/metrics', metricsHandler({ auth: { bearer: process.env.METRICS_TOKEN! } }));
 */
export function metricsHandler(options?: MetricsHandlerOptions): RequestHandler {
  const respond = metricsResponder(options);
  return function promkitMetricsHandler(req: Request, res: Response): void {
    trackerOf(res)?.ignore();
    void respond({
      method: req.method,
      accept: req.headers.accept,
      acceptEncoding: req.headers['accept-encoding'],
      authorization: req.headers.authorization,
    }).then(({ status, headers, body }) => {
      res.writeHead(status, headers);
      if (body instanceof ReadableStream) Readable.fromWeb(body as never).pipe(res);
      else res.end(body ?? undefined);
    });
  };
}
