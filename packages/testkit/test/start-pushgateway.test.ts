import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, type PushgatewayHandle, startPushgateway } from '../src/index';

let gateway: PushgatewayHandle;

beforeAll(async () => {
  gateway = await startPushgateway({ adminApi: true });
});

afterAll(async () => {
  await gateway?.stop();
});

describe('startPushgateway', () => {
  it('accepts a pushed group and shows it in its /metrics', async () => {
    const push = await fetch(`${gateway.url}/metrics/job/testkit/instance/a`, {
      method: 'PUT',
      body: 'x 1\n',
    });
    expect(push.status).toBe(200);
    const page = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(page).toMatch(/^x\{instance="a",job="testkit"\} 1$/m);
  });

  it('wipes everything through the admin API when enabled', async () => {
    await fetch(`${gateway.url}/metrics/job/wipe-me`, { method: 'PUT', body: 'y 2\n' });
    const page = () => fetch(`${gateway.url}/metrics`).then((r) => r.text());
    expect(await page()).toMatch(/^y\{/m);
    const wipe = await fetch(`${gateway.url}/api/v1/admin/wipe`, { method: 'PUT' });
    expect(wipe.status).toBe(202);
    // 202: the gateway queues the wipe and answers before applying it.
    await eventually(async () => {
      expect(await page()).not.toMatch(/^y\{/m);
    });
  });

  it('stops and frees its port', async () => {
    const other = await startPushgateway();
    await other.stop();
    const error = await fetch(`${other.url}/-/ready`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
  });
});
