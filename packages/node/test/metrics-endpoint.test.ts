import { type MetricsHandlerOptions, StoreUnavailableError } from '@promkit/core';
import { describeMetricsEndpointConformance } from '@promkit/testkit';
import { Service } from '../src/index';

describeMetricsEndpointConformance(
  '@promkit/node Service',
  async (options) => {
    const service = new Service(options as unknown as MetricsHandlerOptions);
    await service.start({ host: '127.0.0.1' });
    return { url: service.metricsUrl, close: () => service.stop() };
  },
  { storeUnavailable: (message) => new StoreUnavailableError(message) },
);
