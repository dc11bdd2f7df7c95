import { type MetricsHandlerOptions, StoreUnavailableError } from '@promkit/core';
import { describeMetricsEndpointConformance } from '@promkit/testkit';
import Fastify from 'fastify';
import { metricsHandler } from '../src/index';

describeMetricsEndpointConformance(
  '@promkit/fastify',
  async (options) => {
    const app = Fastify();
    app.get('/metrics', metricsHandler(options as unknown as MetricsHandlerOptions));
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as { port: number };
    return {
      url: `http://127.0.0.1:${port}/metrics`,
      async close() {
        app.server.closeAllConnections();
        await app.close();
      },
    };
  },
  { storeUnavailable: (message) => new StoreUnavailableError(message) },
);
