export interface PrometheusOptions {
  /** `host:port` of each scrape target. */
  targets: string[];
  /** Default `/metrics`. */
  metricsPath?: string;
  /** Default 1. */
  scrapeIntervalSeconds?: number;
  /** Adds `--enable-feature=native-histograms` (Prometheus then asks for protobuf first). */
  nativeHistograms?: boolean;
  /** More command-line flags, e.g. `--enable-feature=exemplar-storage`. */
  extraFlags?: string[];
  /** Default `http`. */
  scheme?: 'http' | 'https';
  basicAuth?: { username: string; password: string };
  bearerToken?: string;
  /** Skips certificate verification of an https target (self-signed test certificates). */
  tlsInsecure?: boolean;
}

/**
 * The Prometheus configuration file for one static job `promkit`. JSON is valid YAML, so
 * it is written as JSON and no value needs YAML escaping.
 */
export function prometheusConfig(opts: PrometheusOptions): string {
  const interval = `${opts.scrapeIntervalSeconds ?? 1}s`;
  const job: Record<string, unknown> = {
    job_name: 'promkit',
    metrics_path: opts.metricsPath ?? '/metrics',
    scheme: opts.scheme ?? 'http',
    static_configs: [{ targets: opts.targets }],
  };
  if (opts.tlsInsecure === true) job.tls_config = { insecure_skip_verify: true };
  if (opts.basicAuth !== undefined) {
    job.basic_auth = { username: opts.basicAuth.username, password: opts.basicAuth.password };
  }
  if (opts.bearerToken !== undefined) {
    job.authorization = { type: 'Bearer', credentials: opts.bearerToken };
  }
  const config = {
    global: { scrape_interval: interval, scrape_timeout: interval, evaluation_interval: '1s' },
    scrape_configs: [job],
  };
  return `${JSON.stringify(config, null, 2)}\n`;
}
