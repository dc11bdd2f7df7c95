import { type ChildProcess, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AggregatorRegistry, aggregators } from '../src/index';

const app = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'cluster-app.cjs');
let primary: ChildProcess;
let url: string;

beforeAll(async () => {
  primary = spawn(process.execPath, [app], { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: primary.stdout! }).once('line', resolve);
    primary.once('exit', (code) => reject(new Error(`cluster primary exited with ${code}`)));
  });
  url = `http://127.0.0.1:${JSON.parse(line).port}/`;
});
afterAll(() => {
  primary?.kill();
});

describe('AggregatorRegistry', () => {
  it("aggregates the workers of a real cluster by each metric's aggregator", async () => {
    const text = await (await fetch(url)).text();
    expect(text).toContain('cl_jobs_total{kind="a"} 3');
    expect(text).toContain('cl_workers_max 20');
    expect(text).not.toContain('cl_hidden');
    expect(text).toContain('cl_seconds_bucket{le="1"} 1');
    expect(text).toContain('cl_seconds_bucket{le="+Inf"} 2');
    expect(text).toContain('cl_seconds_sum 3');
  });

  it('aggregate() builds a registry from getMetricsAsJSON() results', async () => {
    const worker = (value: number) => [
      {
        name: 'w_total',
        help: 'h',
        type: 'counter',
        aggregator: 'sum',
        values: [{ value, labels: {} }],
      },
      {
        name: 'w_avg',
        help: 'h',
        type: 'gauge',
        aggregator: 'average',
        values: [{ value, labels: {} }],
      },
    ];
    const registry = AggregatorRegistry.aggregate([worker(1), worker(3)]);
    expect(await registry.metrics()).toBe(
      '# HELP w_total h\n# TYPE w_total counter\nw_total 4\n\n# HELP w_avg h\n# TYPE w_avg gauge\nw_avg 2\n',
    );
    expect(() =>
      AggregatorRegistry.aggregate([
        [{ name: 'x', help: 'h', type: 'gauge', aggregator: 'median', values: [] }],
      ]),
    ).toThrow("'median' is not a defined aggregator.");
    expect(Object.keys(aggregators).sort()).toEqual([
      'average',
      'first',
      'max',
      'min',
      'omit',
      'sum',
    ]);
  });

  it('resolves to an empty page outside a cluster', async () => {
    expect(await new AggregatorRegistry().clusterMetrics()).toBe('');
  });
});
