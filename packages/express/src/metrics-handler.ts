import type { MetricsHandlerOptions } from '@promkit/core';
import { metricsResponder } from '@promkit/core/http';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { trackerOf } from './metrics-middleware';

/**
 * Serves the registry in the format the scraper's `Accept` header asks for (text 0.0.4,
 * OpenMetrics or protobuf). Requests to it are never counted.
 *
 * @example
 * app.get('/metrics', metricsHandler({ auth: { bearer: process.env.METRICS_TOKEN! } }));
 */
export function metricsHandler(options?: MetricsHandlerOptions): RequestHandler {
  const respond = metricsResponder(options);
  return function promkitMetricsHandler(req: Request, res: Response, next: NextFunction): void {
    trackerOf(res)?.ignore();
    respond(req.headers.accept, req.headers.authorization).then(
      (answer) => res.writeHead(answer.status, answer.headers).end(answer.body),
      next,
    );
  };
}
