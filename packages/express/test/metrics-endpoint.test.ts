import { type MetricsHandlerOptions, StoreUnavailableError } from '@promkit/core';
import { describeMetricsEndpointConformance, served } from '@promkit/testkit';
import express from 'express';
import { metricsHandler } from '../src/index';

describeMetricsEndpointConformance(
  '@promkit/express',
  async (options) => {
    const app = express();
    app.get('/metrics', metricsHandler(options as unknown as MetricsHandlerOptions));
    const { baseUrl, close } = await served(app.listen(0, '127.0.0.1'));
    return {
      url: `${baseUrl}/metrics`,
      close,
    };
  },
  { storeUnavailable: (message) => new StoreUnavailableError(message) },
);
