import { afterEach, describe, expect, it } from 'vitest';
import {
  type ExporterApp,
  type ExporterArgs,
  type ExporterOption,
  ExporterScript,
  OptionError,
  type RunOptions,
  StartupError,
} from '../src/index';
import { cleanup, makeTmpDir } from './helpers/exporter-process';

afterEach(cleanup);

class QueueExporter extends ExporterScript {
  override name = 'queue-exporter';
  override envPrefix = 'QUEUE';
  override description = 'Queue depths.';
  readonly events: string[] = [];
  private readonly depth = this.createMetrics([
    { name: 'queue_depth', description: 'Jobs waiting.', type: 'gauge', labels: ['queue'] },
  ] as const).queue_depth;
  private queues: readonly string[] = [];

  override options(): ExporterOption[] {
    return [{ name: 'queue', type: 'list', default: ['mail'], description: 'queues to watch' }];
  }

  override configure(args: ExporterArgs): void {
    this.queues = args.queue as readonly string[];
    this.events.push(`configure port=${args.port} queues=${this.queues.join('+')}`);
  }

  override onStartup(app: ExporterApp): void {
    this.events.push(`startup urls=${app.urls.length}`);
  }

  override onShutdown(app: ExporterApp): void {
    this.events.push(`shutdown urls=${app.urls.length}`);
  }

  override update(): void {
    for (const [index, queue] of this.queues.entries()) this.depth.set({ queue }, index + 10);
  }
}

const quiet = (): RunOptions => ({ env: { QUEUE_LOG_LEVEL: 'critical' }, cwd: makeTmpDir() });

describe('start() and stop()', () => {
  it('serves in-process and stops cleanly', async () => {
    const exporter = new QueueExporter();
    const app = await exporter.start({
      ...quiet(),
      argv: ['-H', '127.0.0.1', '-p', '0', '--queue', 'mail', '--queue', 'sms'],
    });
    expect(app.urls).toHaveLength(1);
    expect(app.args.host).toEqual(['127.0.0.1']);
    const body = await (await fetch(`${app.urls[0]}/metrics`)).text();
    expect(body).toContain('queue_depth{queue="mail"} 10');
    expect(body).toContain('queue_depth{queue="sms"} 11');
    await exporter.stop();
    await exporter.stop();
    expect(exporter.events).toEqual([
      'configure port=0 queues=mail+sms',
      'startup urls=0',
      'shutdown urls=1',
    ]);
    await expect(fetch(`${app.urls[0]}/metrics`)).rejects.toThrow();
  });

  it('rejects --help (only run() prints) and bad options with OptionError', async () => {
    await expect(new QueueExporter().start({ ...quiet(), argv: ['--help'] })).rejects.toThrow(
      OptionError,
    );
    await expect(new QueueExporter().start({ ...quiet(), argv: ['-p', 'x'] })).rejects.toThrow(
      'invalid value "x" for --port on the command line: expected an integer',
    );
  });

  it('a failed listen closes everything, runs onShutdown and throws StartupError', async () => {
    const first = new QueueExporter();
    const app = await first.start({ ...quiet(), argv: ['-H', '127.0.0.1', '-p', '0'] });
    const port = new URL(app.urls[0]!).port;
    const second = new QueueExporter();
    await expect(
      second.start({ ...quiet(), argv: ['-H', '127.0.0.1', '-p', port] }),
    ).rejects.toThrow(
      new StartupError(`cannot listen on 127.0.0.1:${port}: address already in use`),
    );
    expect(second.events).toEqual([
      `configure port=${port} queues=mail`,
      'startup urls=0',
      'shutdown urls=0',
    ]);
    await first.stop();
  });

  it('--help text is available without running', () => {
    const help = new QueueExporter().helpText();
    expect(help).toContain('Usage: queue-exporter [options]');
    expect(help).toMatch(
      /--queue <value\.\.\.>\s+queues to watch \(env: QUEUE_QUEUE,\s+default:\s+mail\)/,
    );
  });
});
