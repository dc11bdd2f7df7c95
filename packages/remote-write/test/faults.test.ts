// Receivers that fail: down, 500 then 200, 400, 429 with Retry-After, slower than the timeout.
import { Counter, Registry } from '@promkit/core';
import { freePort } from '@promkit/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type RemoteWriteError,
  RemoteWriteHttpError,
  RemoteWriteNetworkError,
  RemoteWriter,
  type RemoteWriterOptions,
  RemoteWriteTimeoutError,
} from '../src/index';
import { type Receiver, type Scripted, startReceiver } from './receiver';

let receiver: Receiver | undefined;
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
});

function setup(url: string, options: Partial<RemoteWriterOptions> = {}) {
  const registry = new Registry();
  const jobs = new Counter('jobs_total', 'Jobs done.', { registry });
  jobs.inc(3);
  const errors: RemoteWriteError[] = [];
  const writer = new RemoteWriter({
    url,
    registry,
    minBackoffSeconds: 0.01,
    onError: (error) => errors.push(error),
    ...options,
  });
  const own = async (name: string, labels: Record<string, string> = {}) => {
    const family = (await registry.collect()).find((f) => f.name === name);
    const point = family?.points.find((p) =>
      Object.entries(labels).every(([k, v]) => p.labels[k] === v),
    );
    return (point as { value: number } | undefined)?.value;
  };
  return { registry, jobs, writer, errors, own };
}

async function scripted(script: Scripted[]): Promise<Receiver> {
  receiver = await startReceiver(script);
  return receiver;
}

const jobsValues = (r: Receiver) =>
  r.requests.map(
    (req) =>
      req.body.timeseries.find((s) => s.labels.some((l) => l.value === 'jobs_total'))?.samples,
  );

describe('RemoteWriter faults', () => {
  it('receiver down: a typed network error after the last attempt, counted', async () => {
    const port = await freePort();
    const { writer, own } = setup(`http://127.0.0.1:${port}/api/v1/write`, { maxAttempts: 3 });
    const error = await writer.push().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RemoteWriteNetworkError);
    expect((error as Error).message).toContain(`127.0.0.1:${port}`);
    expect(await own('promkit_remote_write_failures_total', { reason: 'network' })).toBe(1);
    expect(await own('promkit_remote_write_retries_total')).toBe(2);
  });

  it('a background push to a receiver that is down never rejects: onError hears of it', async () => {
    const port = await freePort();
    const { writer, errors } = setup(`http://127.0.0.1:${port}/api/v1/write`, { maxAttempts: 1 });
    await writer.pushIfDue();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(RemoteWriteNetworkError);
    // Not due again within the interval.
    expect(writer.pushIfDue()).toBeUndefined();
  });

  it('500 then 200: retried with the same samples, nothing lost or doubled', async () => {
    const r = await scripted([{ status: 500 }]);
    const { writer, errors, own } = setup(r.url);
    await writer.push();
    expect(r.requests.map((req) => req.status)).toEqual([500, 204]);
    expect(r.requests[1]!.body).toEqual(r.requests[0]!.body);
    expect(jobsValues(r)[1]).toEqual([{ value: 3, timestamp: expect.any(Number) }]);
    expect(await own('promkit_remote_write_retries_total')).toBe(1);
    expect(await own('promkit_remote_write_failures_total', { reason: 'http' })).toBe(0);
    expect(await own('promkit_remote_write_samples_total')).toBe(
      r.requests[1]!.body.timeseries.length,
    );
    expect(errors).toEqual([]);
  });

  it('400: dropped with a typed error, not retried', async () => {
    const r = await scripted([{ status: 400 }]);
    const { writer, own } = setup(r.url);
    const error = await writer.push().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RemoteWriteHttpError);
    expect(error).toMatchObject({ status: 400, retryable: false, body: 'status 400' });
    expect((error as Error).message).toContain('400');
    expect(r.requests).toHaveLength(1);
    expect(await own('promkit_remote_write_failures_total', { reason: 'http' })).toBe(1);
    expect(await own('promkit_remote_write_retries_total')).toBe(0);
  });

  it('429 with Retry-After: waits as asked, then sends again', async () => {
    const r = await scripted([{ status: 429, headers: { 'retry-after': '1' } }]);
    const { writer } = setup(r.url);
    const started = performance.now();
    await writer.push();
    expect(r.requests.map((req) => req.status)).toEqual([429, 204]);
    expect(performance.now() - started).toBeGreaterThanOrEqual(950);
  });

  it('5xx on every attempt: gives up after maxAttempts with the last status', async () => {
    const r = await scripted([{ status: 503 }, { status: 503 }]);
    const { writer } = setup(r.url, { maxAttempts: 2 });
    const error = await writer.push().catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 503, retryable: true });
    expect(r.requests).toHaveLength(2);
  });

  it('a receiver slower than the timeout: a typed timeout error', async () => {
    const r = await scripted([{ status: 204, delayMs: 1500 }]);
    const { writer, own } = setup(r.url, { timeoutSeconds: 0.2, maxAttempts: 1 });
    const error = await writer.push().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RemoteWriteTimeoutError);
    expect(await own('promkit_remote_write_failures_total', { reason: 'timeout' })).toBe(1);
  });

  it('stop() sends a final snapshot with the latest values', async () => {
    const r = await scripted([]);
    const { writer, jobs } = setup(r.url, { intervalSeconds: 3600 });
    writer.start();
    jobs.inc(4);
    await writer.stop();
    expect(r.requests).toHaveLength(1);
    expect(jobsValues(r)[0]?.[0]?.value).toBe(7);
  });

  it('start() pushes on its interval, and a failing hook never escapes', async () => {
    const r = await scripted([{ status: 400 }]);
    const { writer } = setup(r.url, {
      intervalSeconds: 0.1,
      onError: () => {
        throw new Error('hook');
      },
    });
    writer.start();
    const deadline = Date.now() + 5000;
    while (r.requests.length < 2 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await writer.stop();
    expect(r.requests.length).toBeGreaterThanOrEqual(2);
  });

  it('rejects bad options with a message naming the value', () => {
    expect(() => new RemoteWriter({ url: 'localhost:9090' })).toThrow(/"localhost:9090"/);
    expect(() => new RemoteWriter({ url: 'http://x/api/v1/write', timeoutSeconds: -1 })).toThrow(
      /timeoutSeconds must be a positive number, got -1/,
    );
  });
});
