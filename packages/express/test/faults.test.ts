import { once } from 'node:events';
import { Registry } from '@promkit/core';
import { describeHttpFaults, type FaultAppOptions } from '@promkit/testkit';
import express from 'express';
import express4 from 'express4';
import { type ExpressMetricsOptions, metricsHandler, metricsMiddleware } from '../src/index';
import { listen } from './test-app';

/** Express 5 is the adapter's copy; Express 4 (the `express4` alias) is a second one. */
function faultApp({ metrics, secondCopy }: FaultAppOptions) {
  const registry = new Registry({ collectTimeoutMs: 300, onCollectError: () => {} });
  const make = (secondCopy === true ? express4 : express) as unknown as typeof express;
  const app = make();
  app.use((req, res, next) => {
    if (req.path !== '/late') return next();
    res.status(203).type('text/plain').send('early');
    once(res, 'close').then(() => next());
  });
  const instrument = metricsMiddleware({
    ...(metrics as ExpressMetricsOptions<string>),
    registry,
  });
  app.use(instrument);
  app.get('/ok/:id', (req, res) => {
    res.set('x-app', 'yes').send(`ok ${req.params.id}`);
  });
  const route = app.route('/lookup-throws');
  route.get((_req, res) => {
    res.send('lookup');
  });
  // What the route-template lookup reads, made to throw.
  Object.defineProperty(route, 'path', {
    get() {
      throw new Error('route lookup bug');
    },
  });
  app.get('/close-twice', (_req, res) => {
    res.once('close', () => {
      res.emit('close');
      res.emit('close');
    });
    res.send('twice');
  });
  app.get('/metrics', metricsHandler({ registry }));
  app.use(instrument.errorHandler);
  return listen(app, registry);
}

describeHttpFaults('@promkit/express', faultApp);
