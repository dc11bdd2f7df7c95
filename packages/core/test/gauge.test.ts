import { describe, expect, it } from 'vitest';
import { Gauge, InvalidValueError, LabelSetError } from '../src/index';

describe('Gauge', () => {
  it('sets through its compiled lookup as through the general path: key order, numbers, remove, reset, overflow', () => {
    const g = new Gauge('pool_connections', 'P.', {
      registry: null,
      labelNames: ['pool', 'shard'] as const,
      maxSeries: 2,
    });
    g.set({ pool: 'a', shard: '1' }, 1);
    g.set({ shard: '1', pool: 'a' }, 2);
    expect(g.get({ pool: 'a', shard: '1' })).toBe(2);
    g.set({ pool: 'a', shard: 1 }, 3);
    g.inc({ pool: 'a', shard: '1' });
    expect(g.getAll()).toEqual([{ labels: { pool: 'a', shard: '1' }, value: 4 }]);
    expect(() => g.set({ pool: 'a' } as never, 1)).toThrow(LabelSetError);
    expect(() => g.set({ pool: 'a', shard: '1', x: '2' } as never, 1)).toThrow(LabelSetError);
    expect(g.remove({ pool: 'a', shard: '1' })).toBe(true);
    g.set({ pool: 'a', shard: '1' }, 5);
    g.set({ pool: 'b', shard: '1' }, 6);
    // At maxSeries: a new label set folds into the overflow series, the others stay exact.
    g.set({ pool: 'c', shard: '1' }, 7);
    g.set({ pool: 'a', shard: '1' }, 8);
    expect(g.getAll().map((p) => [p.labels.pool, p.value])).toEqual([
      ['a', 8],
      ['b', 6],
      ['__overflow__', 7],
    ]);
    g.reset();
    expect(g.get({ pool: 'a', shard: '1' })).toBeUndefined();
    g.set({ pool: 'b', shard: '1' }, 9);
    expect(g.getAll()).toEqual([{ labels: { pool: 'b', shard: '1' }, value: 9 }]);
  });

  it('sets, increments and decrements per label set', () => {
    const g = new Gauge('queue_depth', 'Q.', { registry: null, labelNames: ['queue'] as const });
    g.set({ queue: 'a' }, 10);
    g.inc({ queue: 'a' });
    g.inc({ queue: 'a' }, 5);
    g.dec({ queue: 'a' }, 2);
    g.sub({ queue: 'a' }, 1);
    g.add({ queue: 'a' }, 0.5);
    g.dec({ queue: 'b' });
    expect(g.get({ queue: 'a' })).toBe(13.5);
    expect(g.get({ queue: 'b' })).toBe(-1);
  });

  it('allows NaN and infinities (valid gauge values) but rejects non-numbers', () => {
    const g = new Gauge('temp', 'T.', { registry: null });
    g.set(Number.NaN);
    expect(g.get()).toBeNaN();
    g.set(Number.NEGATIVE_INFINITY);
    expect(g.get()).toBe(Number.NEGATIVE_INFINITY);
    g.set(4);
    expect(() => g.set(undefined, '5' as unknown as number)).toThrow(InvalidValueError);
    expect(() => g.inc(undefined, '5' as unknown as number)).toThrow(/Gauge "temp"/);
    expect(() => g.labels().set('5' as unknown as number)).toThrow(InvalidValueError);
    expect(g.get()).toBe(4);
  });

  it('setToCurrentTime writes epoch seconds', () => {
    const g = new Gauge('last_run', 'L.', { registry: null });
    const before = Date.now() / 1000;
    g.setToCurrentTime();
    expect(g.get()).toBeGreaterThanOrEqual(before);
    expect(g.get()).toBeLessThan(before + 5);
  });

  it('track counts sync and async work in progress, failures included', async () => {
    const g = new Gauge('busy', 'B.', { registry: null });
    let inside = -1;
    expect(
      g.track(undefined, () => {
        inside = g.get()!;
        return 7;
      }),
    ).toBe(7);
    expect(inside).toBe(1);
    expect(g.get()).toBe(0);
    expect(() =>
      g.track(undefined, () => {
        throw new Error('x');
      }),
    ).toThrow('x');
    expect(g.get()).toBe(0);
    let release!: () => void;
    const pending = g.track(
      undefined,
      () =>
        new Promise<void>((r) => {
          release = r;
        }),
    );
    expect(g.get()).toBe(1);
    release();
    await pending;
    expect(g.get()).toBe(0);
    await expect(
      g.track(undefined, async () => {
        throw new Error('async');
      }),
    ).rejects.toThrow('async');
    expect(g.get()).toBe(0);
  });

  it('startTimer sets the elapsed seconds', async () => {
    const g = new Gauge('took', 'T.', { registry: null });
    const end = g.startTimer();
    await new Promise((r) => setTimeout(r, 20));
    const elapsed = end();
    expect(elapsed).toBeGreaterThan(0.01);
    expect(g.get()).toBe(elapsed);
  });
});
