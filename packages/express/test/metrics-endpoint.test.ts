import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { type MetricsHandlerOptions, StoreUnavailableError } from '@promkit/core';
import { describeMetricsEndpointConformance } from '@promkit/testkit';
import express from 'express';
import { metricsHandler } from '../src/index';

describeMetricsEndpointConformance(
  '@promkit/express',
  async (options) => {
    const app = express();
    app.get('/metrics', metricsHandler(options as unknown as MetricsHandlerOptions));
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
