import { type MetricFamily, Registry, StoreUnavailableError } from '@promkit/core';
import { describeMetricsEndpointConformance, type EndpointSource } from '@promkit/testkit';
import { ExporterScript } from '../src/index';

/** A registry that renders whatever the table's source yields (or throws). */
class SourceRegistry extends Registry {
  constructor(private readonly source: EndpointSource) {
    super();
  }
  override async collect(): Promise<MetricFamily[]> {
    return (await this.source.collect()) as MetricFamily[];
  }
}

describeMetricsEndpointConformance(
  '@promkit/exporter',
  async (options) => {
    const argv = ['-H', '127.0.0.1', '-p', '0'];
    const { auth } = options;
    const exporter = new (class extends ExporterScript {
      override name = 'conformance-exporter';
      override readonly registry = new SourceRegistry(options.registry);
      override onScrapeError(error: unknown): void {
        options.onError?.(error);
      }
    })();
    if (typeof auth === 'function') exporter.auth = auth;
    else if (auth !== undefined && 'bearer' in auth) argv.push('--bearer-token', auth.bearer);
    else if (auth !== undefined) {
      argv.push('--basic-auth-user', auth.username, '--basic-auth-password', auth.password);
    }
    if (options.realm !== undefined) exporter.authRealm = options.realm;
    if (options.compression !== undefined) exporter.compression = options.compression;
    const app = await exporter.start({ argv, env: {} });
    return { url: `${app.urls[0]}/metrics`, close: () => exporter.stop() };
  },
  { storeUnavailable: (message) => new StoreUnavailableError(message) },
);
