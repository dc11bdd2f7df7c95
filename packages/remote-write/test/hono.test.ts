// The Workers helper: pushes at most once per interval, handed to executionCtx.waitUntil.
import { Counter, Registry } from '@promkit/core';
import { Hono } from 'hono';
import { afterEach, describe, expect, it } from 'vitest';
import { remoteWriteOnRequest } from '../src/hono';
import { RemoteWriter } from '../src/index';
import { type Receiver, startReceiver } from './receiver';

let receiver: Receiver | undefined;
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
});

/** What a Workers runtime hands a request: waitUntil keeps the isolate alive for the promises. */
class ExecutionContext {
  readonly pending: Promise<unknown>[] = [];
  readonly props = {};
  waitUntil(promise: Promise<unknown>): void {
    this.pending.push(promise);
  }
  passThroughOnException(): void {}
}

function app(writer: RemoteWriter, registry: Registry): Hono {
  const hits = new Counter('hits_total', 'Hits.', { registry });
  const hono = new Hono();
  hono.use(remoteWriteOnRequest(writer));
  hono.get('/', (c) => {
    hits.inc();
    return c.text('ok');
  });
  return hono;
}

describe('remoteWriteOnRequest', () => {
  it('pushes on the first request, then not again within the interval', async () => {
    receiver = await startReceiver();
    const registry = new Registry();
    const writer = new RemoteWriter({ url: receiver.url, registry, intervalSeconds: 3600 });
    const hono = app(writer, registry);
    const contexts = [new ExecutionContext(), new ExecutionContext(), new ExecutionContext()];
    for (const ctx of contexts) {
      const response = await hono.request('/', {}, {}, ctx);
      expect(await response.text()).toBe('ok');
      await Promise.all(ctx.pending);
    }
    expect(contexts.map((ctx) => ctx.pending.length)).toEqual([1, 0, 0]);
    expect(receiver.requests).toHaveLength(1);
    const hits = receiver.requests[0]!.body.timeseries.find((s) =>
      s.labels.some((l) => l.value === 'hits_total'),
    );
    expect(hits?.samples[0]?.value).toBe(1);
  });

  it('pushes again once the interval has passed', async () => {
    receiver = await startReceiver();
    const registry = new Registry();
    const writer = new RemoteWriter({ url: receiver.url, registry, intervalSeconds: 0.05 });
    const hono = app(writer, registry);
    for (let i = 0; i < 2; i++) {
      const ctx = new ExecutionContext();
      await hono.request('/', {}, {}, ctx);
      await Promise.all(ctx.pending);
      await new Promise((resolve) => setTimeout(resolve, 80));
    }
    expect(receiver.requests).toHaveLength(2);
  });

  it('without an execution context (Node) the push still runs, and a failure never reaches the response', async () => {
    receiver = await startReceiver([{ status: 400 }]);
    const registry = new Registry();
    const errors: unknown[] = [];
    const writer = new RemoteWriter({
      url: receiver.url,
      registry,
      onError: (error) => errors.push(error),
    });
    const response = await app(writer, registry).request('/');
    expect(response.status).toBe(200);
    const deadline = Date.now() + 5000;
    while (errors.length === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(errors).toHaveLength(1);
  });
});
