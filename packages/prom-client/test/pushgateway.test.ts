import { eventually, type PushgatewayHandle, startPushgateway } from '@promkit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Counter, Gauge, Histogram, Pushgateway, Registry } from '../src/index';

let gateway: PushgatewayHandle;

beforeAll(async () => {
  gateway = await startPushgateway();
});
afterAll(async () => {
  await gateway?.stop();
});

async function gatewayPage(): Promise<string> {
  return (await fetch(`${gateway.url}/metrics`)).text();
}

describe('Pushgateway against a real Pushgateway', () => {
  it('push (PUT) replaces the group, pushAdd (POST) adds names, delete removes it', async () => {
    const registry = new Registry();
    const jobs = new Counter({ name: 'pg_jobs_total', help: 'Jobs.', registers: [registry] });
    const last = new Gauge({
      name: 'pg_last_run',
      help: 'Last.',
      labelNames: ['step'],
      registers: [registry],
    });
    jobs.inc(3);
    last.set({ step: 'load' }, 17);
    const client = new Pushgateway(gateway.url, { timeout: 5000 }, registry);

    const pushed = await client.push({ jobName: 'nightly', groupings: { host: 'a/b&c' } });
    expect((pushed.resp as { statusCode: number }).statusCode).toBe(200);
    let page = await gatewayPage();
    expect(page).toContain('pg_jobs_total{host="a/b&c",instance="",job="nightly"} 3');
    expect(page).toContain('pg_last_run{host="a/b&c",instance="",job="nightly",step="load"} 17');

    const extra = new Registry();
    new Histogram({ name: 'pg_seconds', help: 'S.', buckets: [1], registers: [extra] }).observe(
      0.5,
    );
    await new Pushgateway(gateway.url, {}, extra).pushAdd({
      jobName: 'nightly',
      groupings: { host: 'a/b&c' },
    });
    page = await gatewayPage();
    expect(page).toContain('pg_jobs_total{host="a/b&c",instance="",job="nightly"} 3');
    expect(page).toContain('pg_seconds_bucket{host="a/b&c",instance="",job="nightly",le="1"} 1');

    await new Pushgateway(gateway.url, {}, extra).push({
      jobName: 'nightly',
      groupings: { host: 'a/b&c' },
    });
    page = await gatewayPage();
    expect(page).not.toContain('pg_jobs_total');
    expect(page).toContain('pg_seconds_count{host="a/b&c",instance="",job="nightly"} 1');

    const deleted = await client.delete({ jobName: 'nightly', groupings: { host: 'a/b&c' } });
    expect((deleted.resp as { statusCode: number }).statusCode).toBe(202);
    // 202: the gateway queues the deletion and answers before applying it.
    await eventually(async () => {
      expect(await gatewayPage()).not.toContain('job="nightly"');
    });
  });

  it('sends a gzip body when told to, and the gateway reads it', async () => {
    const registry = new Registry();
    new Gauge({ name: 'pg_zipped', help: 'Z.', registers: [registry] }).set(5);
    await new Pushgateway(gateway.url, { headers: { 'Content-Encoding': 'gzip' } }, registry).push({
      jobName: 'zipped',
    });
    expect(await gatewayPage()).toContain('pg_zipped{instance="",job="zipped"} 5');
  });

  it("rejects with prom-client's message when the gateway refuses the push", async () => {
    const registry = new Registry();
    // Pushgateway refuses a group whose type clashes with what another group pushed.
    new Gauge({ name: 'pg_clash', help: 'x', registers: [registry] }).set(1);
    await new Pushgateway(gateway.url, {}, registry).push({ jobName: 'one' });
    const clash = new Registry();
    new Counter({ name: 'pg_clash', help: 'x', registers: [clash] }).inc();
    await expect(new Pushgateway(gateway.url, {}, clash).push({ jobName: 'two' })).rejects.toThrow(
      /^push failed with status 400, /,
    );
  });

  it("times out with prom-client's message", async () => {
    const { createServer } = await import('node:http');
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as { port: number };
    try {
      await expect(
        new Pushgateway(`http://127.0.0.1:${port}`, { timeout: 50 }, new Registry()).push({
          jobName: 'slow',
        }),
      ).rejects.toThrow('Pushgateway request timed out');
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
  });
});
