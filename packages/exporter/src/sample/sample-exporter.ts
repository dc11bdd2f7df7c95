import { loadavg } from 'node:os';
import { type ExporterApp, type ExporterArgs, ExporterScript } from '../exporter-script';
import type { ExporterOption } from '../options/option-spec';
import { PACKAGE_VERSION } from '../version';

const LOAD_PERIODS = ['1m', '5m', '15m'] as const;

const SAMPLE_METRICS = [
  {
    name: 'sample_load_average',
    description: 'Host load average, read at scrape time.',
    type: 'gauge',
    labels: ['period'],
  },
  {
    name: 'sample_updates_total',
    description: 'Update hook runs (one per scrape).',
    type: 'counter',
  },
  {
    name: 'sample_update_duration_seconds',
    description: 'Time the update hook took.',
    type: 'summary',
  },
  {
    name: 'sample_random_value',
    description: 'A random number in [0, 1), redrawn every --sample-interval.',
    type: 'gauge',
  },
  {
    name: 'sample_random_observations',
    description: 'Every random number drawn.',
    type: 'histogram',
    config: { buckets: [0.1, 0.25, 0.5, 0.75, 0.9] },
  },
  {
    name: 'sample_random_level',
    description: 'Whether the last random number was low (< 0.5) or high.',
    type: 'enum',
    config: { states: ['low', 'high'] },
  },
  {
    name: 'sample_exporter',
    description: 'The sample exporter build.',
    type: 'info',
  },
] as const;

/**
 * The exporter behind the `promkit-exporter-sample` bin: host load averages read at
 * scrape time, plus random demo values redrawn on a timer.
 */
export class SampleExporter extends ExporterScript {
  override name = 'promkit-exporter-sample';
  override version = PACKAGE_VERSION;
  override description = 'Sample Prometheus exporter: host load average and random demo values.';
  override defaultPort = 9091;
  override envPrefix = 'PROMKIT_SAMPLE';

  private readonly sample = this.createMetrics(SAMPLE_METRICS);
  private intervalSeconds = 5;
  private timer: NodeJS.Timeout | undefined;

  override options(): ExporterOption[] {
    return [
      {
        name: 'sample-interval',
        type: 'number',
        min: 0.01,
        default: 5,
        valueName: 'seconds',
        description: 'seconds between two random values',
      },
    ];
  }

  override configure(args: ExporterArgs): void {
    this.intervalSeconds = args.sampleInterval as number;
    this.sample.sample_exporter.set({ version: this.version });
  }

  override onStartup(app: ExporterApp): void {
    this.draw();
    this.timer = setInterval(() => this.draw(), this.intervalSeconds * 1000);
    app.logger.info('sampling random values', { interval_seconds: this.intervalSeconds });
  }

  override onShutdown(app: ExporterApp): void {
    clearInterval(this.timer);
    this.timer = undefined;
    app.logger.info('sampling stopped');
  }

  override update(): void {
    const end = this.sample.sample_update_duration_seconds.startTimer();
    const averages = loadavg();
    LOAD_PERIODS.forEach((period, index) => {
      this.sample.sample_load_average.set({ period }, averages[index] ?? 0);
    });
    this.sample.sample_updates_total.inc();
    end();
  }

  private draw(): void {
    const value = Math.random();
    this.sample.sample_random_value.set(value);
    this.sample.sample_random_observations.observe(value);
    this.sample.sample_random_level.set(undefined, value < 0.5 ? 'low' : 'high');
  }
}
