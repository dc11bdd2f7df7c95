import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { type MetricsHandlerOptions, StoreUnavailableError } from '@promkit/core';
import { describeMetricsEndpointConformance } from '@promkit/testkit';
import { Hono } from 'hono';
import { metricsHandler } from '../src/index';

describeMetricsEndpointConformance(
  '@promkit/hono',
  async (options) => {
    const app = new Hono();
    app.get('/metrics', metricsHandler(options as unknown as MetricsHandlerOptions));
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise<void>((resolve) => server.once('listening', resolve));
    const { port } = server.address() as AddressInfo;
    return {
      url: `http://127.0.0.1:${port}/metrics`,
      async close() {
        (server as unknown as { closeAllConnections(): void }).closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      },
    };
  },
  { storeUnavailable: (message) => new StoreUnavailableError(message) },
);
