import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import Router from '@koa/router';
import { type MetricsHandlerOptions, StoreUnavailableError } from '@promkit/core';
import { describeMetricsEndpointConformance } from '@promkit/testkit';
import Koa from 'koa';
import { metricsHandler } from '../src/index';

describeMetricsEndpointConformance(
  '@promkit/koa',
  async (options) => {
    const app = new Koa();
    const router = new Router();
    router.get('/metrics', metricsHandler(options as unknown as MetricsHandlerOptions));
    app.use(router.routes());
    const server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    return {
      url: `http://127.0.0.1:${port}/metrics`,
      async close() {
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      },
    };
  },
  { storeUnavailable: (message) => new StoreUnavailableError(message) },
);
