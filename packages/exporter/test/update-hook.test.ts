import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, sampleValue, spawnExporter, TEST_EXPORTER } from './helpers/exporter-process';

afterEach(cleanup);

async function scrape(url: string): Promise<string> {
  const res = await fetch(`${url}/metrics`, { headers: { accept: 'text/plain' } });
  expect(res.status).toBe(200);
  return res.text();
}

function startFixture(extra: readonly string[]) {
  return spawnExporter(['-H', '127.0.0.1', '-p', '0', '--token', 't', ...extra], {
    script: TEST_EXPORTER,
  });
}

describe('the update hook', () => {
  it('runs before each scrape: every answer shows the values that scrape computed', async () => {
    const proc = spawnExporter(['-H', '127.0.0.1', '-p', '0']);
    const [url] = await proc.listening();
    for (let scrapeNumber = 1; scrapeNumber <= 3; scrapeNumber++) {
      const body = await scrape(url!);
      expect(sampleValue(body, 'sample_updates_total')).toBe(scrapeNumber);
      expect(sampleValue(body, 'sample_update_duration_seconds_count')).toBe(scrapeNumber);
    }
    // The landing page does not run it.
    await fetch(`${url}/`);
    expect(sampleValue(await scrape(url!), 'sample_updates_total')).toBe(4);
  });

  it('is awaited when async: the scrape shows what it set after its await', async () => {
    const proc = startFixture(['--update-delay-ms', '200']);
    const [url] = await proc.listening();
    expect(sampleValue(await scrape(url!), 'fixture_value')).toBe(1);
    expect(sampleValue(await scrape(url!), 'fixture_value')).toBe(2);
  });

  it('a failing hook is logged and the scrape is answered with the last values', async () => {
    const proc = startFixture(['--fail-updates']);
    const [url] = await proc.listening();
    const first = await scrape(url!);
    expect(sampleValue(first, 'fixture_value')).toBe(1);
    const second = await scrape(url!);
    expect(sampleValue(second, 'fixture_value')).toBe(1);
    expect(sampleValue(second, 'fixture_update_runs_total')).toBe(2);
    await proc.waitForLine(
      /^ERROR update hook failed, serving the last values error="backend unreachable in run 2"$/,
    );
    const third = await scrape(url!);
    expect(sampleValue(third, 'fixture_update_runs_total')).toBe(3);
    expect(proc.child.exitCode).toBeNull();
  });

  it('a hook slower than the timeout is logged and the scrape answered', async () => {
    const proc = startFixture(['--update-delay-ms', '60000', '--update-timeout-ms', '100']);
    const [url] = await proc.listening();
    const body = await scrape(url!);
    expect(sampleValue(body, 'fixture_update_runs_total')).toBe(1);
    expect(sampleValue(body, 'fixture_value')).toBe(0);
    await proc.waitForLine(
      /^WARNING update hook timed out, serving the last values timeout_ms=100$/,
    );
  });

  it('concurrent scrapes share one run', async () => {
    const proc = startFixture(['--update-delay-ms', '1500']);
    const [url] = await proc.listening();
    const bodies = await Promise.all([scrape(url!), scrape(url!), scrape(url!)]);
    for (const body of bodies) {
      expect(sampleValue(body, 'fixture_update_runs_total')).toBe(1);
      expect(sampleValue(body, 'fixture_value')).toBe(1);
    }
  });
});
