import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, spawnExporter } from './helpers/exporter-process';

afterEach(cleanup);

async function scrape(args: readonly string[], env?: Record<string, string>): Promise<string> {
  const proc = spawnExporter(['-H', '127.0.0.1', '-p', '0', ...args], { env });
  const [url] = await proc.listening();
  const body = await (await fetch(`${url}/metrics`, { headers: { accept: 'text/plain' } })).text();
  expect((await proc.stop()).code).toBe(0);
  return body;
}

const PROCESS_FAMILIES = [
  '# TYPE process_cpu_seconds_total counter',
  '# TYPE process_start_time_seconds gauge',
  '# TYPE process_resident_memory_bytes gauge',
  '# TYPE nodejs_heap_size_used_bytes gauge',
  '# TYPE nodejs_version_info gauge',
];

describe('--process-stats', () => {
  it('adds the process and runtime metrics of @promkit/node', async () => {
    const body = await scrape(['--process-stats']);
    for (const family of PROCESS_FAMILIES) expect(body).toContain(family);
    expect(body).toMatch(/^process_start_time_seconds \d+(\.\d+)?(e\+\d+)?$/m);
    expect(body).toContain('# TYPE sample_updates_total counter');
  });

  it('is off by default and can be switched on by env', async () => {
    const without = await scrape([]);
    expect(without).not.toContain('process_cpu_seconds_total');
    const fromEnv = await scrape([], { PROMKIT_SAMPLE_PROCESS_STATS: 'true' });
    expect(fromEnv).toContain('# TYPE process_cpu_seconds_total counter');
  });
});
