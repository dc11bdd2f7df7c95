import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { ConfigError, type MetricsAuth, Registry } from '@promkit/core';
import { Service, ServiceListenError, type ServiceTlsOptions } from '@promkit/node';
import { OptionError, StartupError } from './errors';
import { loadTls, loadWebTls } from './http/load-tls';
import { resolveAuth } from './http/resolve-auth';
import { loadWebConfig, type WebConfig } from './http/web-config';
import { describeError, type LogFormat, Logger, type LogLevel } from './log/logger';
import { createMetrics } from './metrics/create-metrics';
import type { ExporterMetric, MetricConfig, MetricsOf } from './metrics/metric-config';
import { type BuiltinArgs, builtinOptions } from './options/builtin-options';
import { type CommandLineMeta, helpText, parseCommandLine } from './options/command-line';
import {
  checkOptionSpecs,
  type ExporterOption,
  envPrefixFromName,
  envVarName,
  type OptionValue,
  optionKey,
} from './options/option-spec';
import { readDotenv } from './options/read-dotenv';
import { type CommandLineValues, type OptionInputs, resolveArgs } from './options/resolve-args';
import { type ProcessStatsHandle, startProcessStats } from './process-stats';
import { UpdateRunner } from './update-runner';

/** The resolved options: the built-in ones typed, extra ones by camelCase key. */
export type ExporterArgs = BuiltinArgs & Readonly<Record<string, OptionValue>>;

export interface RunOptions {
  /** Arguments without the node and script paths. Default `process.argv.slice(2)`. */
  readonly argv?: readonly string[];
  /** Default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Directory the default `./.env` and a relative `<PREFIX>_DOTENV` are read from. Default `process.cwd()`. */
  readonly cwd?: string;
}

/** What the startup and shutdown hooks get: the running exporter's parts. */
export interface ExporterApp {
  readonly args: ExporterArgs;
  readonly registry: Registry;
  readonly logger: Logger;
  /** One URL per bound address, e.g. `http://127.0.0.1:9091`. Empty in `onStartup` (not listening yet). */
  readonly urls: readonly string[];
  /** The HTTP(S) servers, one per bound address. Empty in `onStartup`. */
  readonly servers: readonly Server[];
}

const ENV_PREFIX = /^[A-Za-z_][A-Za-z0-9_]*$/;
const LOG_OPTION_NAMES = new Set(['log-level', 'log-format']);

interface Running {
  readonly app: ExporterApp;
  readonly service: Service;
  readonly processStats: ProcessStatsHandle | undefined;
}

type Prepared =
  | { readonly kind: 'print'; readonly text: string }
  | { readonly kind: 'args'; readonly args: ExporterArgs };

/**
 * A Prometheus exporter daemon: subclass it, set a few fields, fill in the hooks, and
 * call `run()`. It parses the command line, `<PREFIX>_*` environment variables and a
 * dotenv file (precedence: command line > env > dotenv > default), serves the metrics
 * on every `--host` over HTTP or HTTPS, and stops cleanly on SIGINT/SIGTERM.
 *
 * @example
 * class QueueExporter extends ExporterScript {
 *   name = 'queue-exporter';
 *   defaultPort = 9091;
 *   description = 'Exports queue depths.';
 *   private depth = this.createMetrics([
 *     { name: 'queue_depth', description: 'Jobs waiting.', type: 'gauge', labels: ['queue'] },
 *   ] as const).queue_depth;
 *   async update() {
 *     this.depth.set({ queue: 'mail' }, await countJobs('mail'));
 *   }
 * }
 * void new QueueExporter().run();
 */
export class ExporterScript {
  /** Shown in `--help`, `--version`, the landing page and the `Server` header. */
  name = 'prometheus-exporter';
  version = '0.0.0';
  description = '';
  defaultPort = 9090;
  defaultMetricsPath = '/metrics';
  /** Environment variable prefix; default: `name` in upper snake case (`my-exporter` → `MY_EXPORTER`). */
  envPrefix: string | undefined = undefined;
  /** A slower update hook is logged and the scrape answered with the last values. */
  updateTimeoutMs = 10_000;
  /**
   * Auth for the metrics path set in code (e.g. a function checking tokens elsewhere);
   * starting with an auth option as well is an error.
   */
  auth: MetricsAuth | undefined = undefined;
  /** Realm of the 401 challenge. Default `metrics`. */
  authRealm: string | undefined = undefined;
  /** Gzip the metrics page for clients that accept it. */
  compression = true;
  /** Holds every metric the exporter serves; register custom collectors here too. */
  readonly registry: Registry = new Registry({
    onCollectError: (error) => this.logger.error('collector failed', { error: error.message }),
  });
  /** Every metric made by `createMetrics`, by name. */
  readonly metrics: Record<string, ExporterMetric> = {};
  /** Configured from `--log-level` and `--log-format` once the options are parsed. */
  logger: Logger = new Logger();

  private running: Running | undefined;
  private stopping: Promise<void> | undefined;

  /** Extra command-line options; each also gets an env var `<PREFIX>_<NAME>`. */
  options(): ExporterOption[] {
    return [];
  }

  /** Runs once the options are resolved, before serving: create metrics, read config. */
  configure(_args: ExporterArgs): void | Promise<void> {}

  /** Runs before the servers listen: open connections, start timers. */
  onStartup(_app: ExporterApp): void | Promise<void> {}

  /** Runs after the servers closed, on SIGINT/SIGTERM or `stop()`: release what `onStartup` took. */
  onShutdown(_app: ExporterApp): void | Promise<void> {}

  /**
   * Runs before each scrape (concurrent scrapes share one run). A failure or a timeout
   * is logged and the scrape is answered with the values the metrics hold.
   */
  update(_metrics: Readonly<Record<string, ExporterMetric>>): void | Promise<void> {}

  /**
   * Told when a scrape fails (the scraper gets 503 for an unavailable store, 500 for
   * anything else). Default: logs the error.
   */
  onScrapeError(error: unknown): void {
    this.logger.error('cannot render metrics', { error: describeError(error) });
  }

  /**
   * Makes metrics from configs (types: counter, gauge, histogram, summary, info,
   * enum/stateset) in `this.registry`, and returns them by name, typed.
   *
   * @example
   * const { queue_depth } = this.createMetrics([
   *   { name: 'queue_depth', description: 'Jobs waiting.', type: 'gauge', labels: ['queue'] },
   * ] as const);
   */
  createMetrics<const C extends readonly MetricConfig[]>(configs: C): MetricsOf<C> {
    const made = createMetrics(this.registry, configs);
    Object.assign(this.metrics, made);
    return made as MetricsOf<C>;
  }

  /** The `--help` text. */
  helpText(): string {
    return helpText(this.commandLineMeta(), this.allOptions());
  }

  /**
   * Parses the options and serves until SIGINT or SIGTERM, then runs `onShutdown` and
   * exits 0. Prints `--help`/`--version` and exits 0. Logs any failure and exits 1.
   */
  async run(options: RunOptions = {}): Promise<void> {
    let code = 0;
    try {
      const prepared = await this.prepare(options);
      if (prepared.kind === 'print') {
        process.stdout.write(prepared.text);
        return await exitProcess(0);
      }
      await this.serve(prepared.args);
    } catch (error) {
      this.logFailure(error);
      await this.stopQuietly();
      return await exitProcess(1);
    }
    const signal = await nextSignal();
    this.logger.info('shutting down', { signal });
    // A second signal while shutting down means "now".
    const forceExit = (): void => process.exit(1);
    process.once('SIGINT', forceExit).once('SIGTERM', forceExit);
    try {
      await this.stop();
      this.logger.info('stopped');
    } catch (error) {
      this.logFailure(error);
      code = 1;
    }
    await exitProcess(code);
  }

  /**
   * Parses the options and starts serving, without signal handling or exiting: for
   * tests and for embedding. `--help`/`--version` are only handled by `run()`.
   */
  async start(options: RunOptions = {}): Promise<ExporterApp> {
    const prepared = await this.prepare(options);
    if (prepared.kind === 'print') {
      throw new OptionError('--help and --version are handled by run(), not start()');
    }
    try {
      return await this.serve(prepared.args);
    } catch (error) {
      await this.stopQuietly();
      throw error;
    }
  }

  /** Closes the servers, then runs `onShutdown`. Safe to call twice. */
  stop(): Promise<void> {
    if (this.stopping === undefined) this.stopping = this.shutdown();
    return this.stopping;
  }

  private async shutdown(): Promise<void> {
    const running = this.running;
    if (running === undefined) return;
    try {
      await running.service.stop();
      await this.onShutdown(running.app);
    } finally {
      running.processStats?.stop();
      this.running = undefined;
    }
  }

  private async stopQuietly(): Promise<void> {
    try {
      await this.stop();
    } catch (error) {
      this.logFailure(error);
    }
  }

  private logFailure(error: unknown): void {
    this.logger.error(describeError(error));
    if (!(error instanceof OptionError) && error instanceof Error && error.stack !== undefined) {
      this.logger.debug('stack', { stack: error.stack });
    }
  }

  private commandLineMeta(): CommandLineMeta {
    const prefix = this.envPrefix ?? envPrefixFromName(this.name);
    if (!ENV_PREFIX.test(prefix)) {
      throw new ConfigError(
        `${this.name}: envPrefix must be letters, digits and underscores, got ${JSON.stringify(prefix)}`,
      );
    }
    return { name: this.name, description: this.description, version: this.version, prefix };
  }

  private allOptions(): ExporterOption[] {
    const all = [
      ...builtinOptions({ port: this.defaultPort, metricsPath: this.defaultMetricsPath }),
      ...this.options(),
    ];
    checkOptionSpecs(all);
    return all;
  }

  private async prepare(options: RunOptions): Promise<Prepared> {
    const meta = this.commandLineMeta();
    const all = this.allOptions();
    const env = options.env ?? process.env;
    const dotenv = await readDotenv(meta.prefix, env, options.cwd ?? process.cwd());
    const inputs = (commandLine: CommandLineValues): OptionInputs => ({
      prefix: meta.prefix,
      commandLine,
      env,
      dotenv: dotenv.values,
      dotenvPath: dotenv.path,
    });
    let commandLine: CommandLineValues;
    try {
      const parsed = parseCommandLine(meta, all, options.argv ?? process.argv.slice(2));
      if (parsed.kind === 'print') return parsed;
      commandLine = parsed.values;
    } catch (error) {
      this.configureLoggerLeniently(all, inputs({}));
      throw error;
    }
    this.configureLoggerLeniently(all, inputs(commandLine));
    const resolved = resolveArgs(all, inputs(commandLine));
    const args = resolved.values as ExporterArgs;
    if (!args.metricsPath.startsWith('/')) {
      throw new OptionError(
        `invalid value ${JSON.stringify(args.metricsPath)} for --metrics-path: must start with "/"`,
      );
    }
    this.logger = new Logger({ level: args.logLevel, format: args.logFormat });
    if (this.logger.enabled('debug')) {
      for (const option of all) {
        const key = optionKey(option.name);
        this.logger.debug('option', {
          name: option.name,
          value: formatValue(resolved.values[key]),
          source: resolved.sources[key],
          env: envVarName(meta.prefix, option.name),
        });
      }
    }
    return { kind: 'args', args };
  }

  /** Uses the log options for the error a bad option produces, when they themselves are fine. */
  private configureLoggerLeniently(all: readonly ExporterOption[], inputs: OptionInputs): void {
    try {
      const values = resolveArgs(
        all.filter((o) => LOG_OPTION_NAMES.has(o.name)),
        inputs,
      ).values;
      this.logger = new Logger({
        level: values.logLevel as LogLevel,
        format: values.logFormat as LogFormat,
      });
    } catch {
      // keep the default logger
    }
  }

  private async serve(args: ExporterArgs): Promise<ExporterApp> {
    if (this.running !== undefined) {
      throw new ConfigError(`${this.name}: already started`);
    }
    this.stopping = undefined;
    await this.configure(args);
    const webConfig =
      args.webConfigFile === undefined ? undefined : await loadWebConfig(args.webConfigFile);
    const tls = await this.tlsOptions(args, webConfig);
    const auth = resolveAuth(args, webConfig, this.auth);
    const processStats = args.processStats ? startProcessStats(this.registry) : undefined;
    const updates = new UpdateRunner(
      () => this.update(this.metrics),
      this.logger,
      this.updateTimeoutMs,
    );
    const logger = this.logger;
    const service = new Service({
      registry: this.registry,
      metricsPath: args.metricsPath,
      ...(auth === undefined ? {} : { auth }),
      ...(this.authRealm === undefined ? {} : { realm: this.authRealm }),
      ...(tls === undefined ? {} : { tls }),
      compression: this.compression,
      title: this.name,
      description: this.description,
      generator: `${this.name}/${this.version}`,
      headers: { Server: `${this.name}/${this.version}` },
      beforeScrape: () => updates.run(),
      onError: (error) => this.onScrapeError(error),
      onRequest: logger.enabled('debug') ? (req, res) => logAccess(logger, req, res) : undefined,
      onTlsClientError: (error, remote) => {
        // OpenSSL errors carry a readable `reason` beside a message full of source paths.
        logger.debug('TLS handshake failed', { remote, error: error.reason ?? error.message });
      },
    });
    const servers: Server[] = [];
    const urls: string[] = [];
    const app: ExporterApp = { args, registry: this.registry, logger: this.logger, urls, servers };
    this.running = { app, service, processStats };
    await this.onStartup(app);
    try {
      await service.start({ host: args.host, port: args.port });
    } catch (error) {
      if (error instanceof ServiceListenError) {
        // "address already in use" says it all; other causes add the system's words.
        const code = (error.cause as { code?: unknown } | undefined)?.code;
        throw new StartupError(
          error.message,
          code === 'EADDRINUSE' ? undefined : { cause: error.cause },
        );
      }
      throw error;
    }
    servers.push(...service.httpServers);
    for (const url of service.urls) {
      urls.push(url);
      this.logger.info('listening', { url });
    }
    return app;
  }

  private async tlsOptions(
    args: ExporterArgs,
    webConfig: WebConfig | undefined,
  ): Promise<ServiceTlsOptions | undefined> {
    const ssl = await loadTls({
      privateKey: args.sslPrivateKey,
      publicKey: args.sslPublicKey,
      ca: args.sslCa,
    });
    if (webConfig?.tls === undefined) return ssl;
    if (ssl !== undefined) {
      throw new OptionError(
        '--ssl-private-key/--ssl-public-key and --web.config.file tls_server_config both configure TLS; use one',
      );
    }
    return loadWebTls(webConfig.tls);
  }
}

function logAccess(logger: Logger, req: IncomingMessage, res: ServerResponse): void {
  const started = performance.now();
  res.once('close', () => {
    logger.debug('request', {
      method: req.method,
      path: req.url,
      status: res.statusCode,
      bytes: Number(res.getHeader('Content-Length') ?? 0),
      duration_ms: Math.round((performance.now() - started) * 1000) / 1000,
      remote: req.socket.remoteAddress,
      user_agent: req.headers['user-agent'],
      aborted: res.writableFinished ? undefined : true,
    });
  });
}

function formatValue(value: OptionValue): string | number | boolean | undefined {
  return Array.isArray(value) ? value.join(',') : (value as string | number | boolean | undefined);
}

function nextSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals): void => {
      process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
      resolve(signal);
    };
    process.on('SIGINT', onSignal).on('SIGTERM', onSignal);
  });
}

/** Exits once stdout and stderr have flushed what was written to them. */
async function exitProcess(code: number): Promise<never> {
  process.exitCode = code;
  await Promise.all([flush(process.stdout), flush(process.stderr)]);
  process.exit(code);
}

function flush(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => stream.write('', () => resolve()));
}
