import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import { type MetricsHandlerOptions, StoreUnavailableError } from '@promkit/core';
import { describeMetricsEndpointConformance, served } from '@promkit/testkit';
import { Hono } from 'hono';
import { metricsHandler } from '../src/index';

describeMetricsEndpointConformance(
  '@promkit/hono',
  async (options) => {
    const app = new Hono();
    app.get('/metrics', metricsHandler(options as unknown as MetricsHandlerOptions));
    const { baseUrl, close } = await served(
      serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }) as Server,
    );
    return {
      url: `${baseUrl}/metrics`,
      close,
    };
  },
  { storeUnavailable: (message) => new StoreUnavailableError(message) },
);
