import Router from '@koa/router';
import { type MetricsHandlerOptions, StoreUnavailableError } from '@promkit/core';
import { describeMetricsEndpointConformance, served } from '@promkit/testkit';
import Koa from 'koa';
import { metricsHandler } from '../src/index';

describeMetricsEndpointConformance(
  '@promkit/koa',
  async (options) => {
    const app = new Koa();
    const router = new Router();
    router.get('/metrics', metricsHandler(options as unknown as MetricsHandlerOptions));
    app.use(router.routes());
    const { baseUrl, close } = await served(app.listen(0, '127.0.0.1'));
    return {
      url: `${baseUrl}/metrics`,
      close,
    };
  },
  { storeUnavailable: (message) => new StoreUnavailableError(message) },
);
