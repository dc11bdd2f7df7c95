import { Readable } from 'node:stream';
import { Registry } from '@promkit/core';
import type { ConformanceApp, ConformanceAppOptions } from '@promkit/testkit';
import { served } from '@promkit/testkit';
import type express from 'express';
import type { NextFunction, Request, Response } from 'express';
import { metricsHandler, metricsMiddleware } from '../src/index';

/** The conformance app on the given Express module (5, or 4 under the `express4` alias). */
export async function buildApp(
  expressModule: typeof express,
  { registry, metrics, fixtures }: ConformanceAppOptions<Registry>,
): Promise<ConformanceApp<Registry>> {
  const reg = registry ?? new Registry();
  const app = expressModule();
  const instrument = metricsMiddleware({ ...metrics, registry: reg });
  app.use(instrument);
  app.get('/users/:id', (req, res) => {
    res.send(`user ${req.params.id}`);
  });
  const api = expressModule.Router();
  const v1 = expressModule.Router();
  v1.get('/items/:id', (req, res) => {
    res.send(`item ${req.params.id}`);
  });
  api.use('/v1', v1);
  app.use('/api', api);
  app.get('/boom', () => {
    throw new Error('boom');
  });
  app.get('/stream', (_req, res) => {
    res.type('text/plain');
    Readable.from(fixtures.streamBody()).pipe(res);
  });
  app.get('/slow', async (_req, res) => {
    await fixtures.slow();
    res.send('slow');
  });
  app.get('/metrics', metricsHandler({ registry: reg }));
  app.use(instrument.errorHandler);
  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    fixtures.onFrameworkError(error);
    res.status(500).send('handled');
  });
  return listen(app, reg);
}

export async function listen(
  app: ReturnType<typeof express>,
  registry: Registry,
): Promise<ConformanceApp<Registry>> {
  const { baseUrl, close } = await served(app.listen(0, '127.0.0.1'));
  return {
    baseUrl,
    registry,
    close,
  };
}
