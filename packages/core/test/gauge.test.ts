import { describe, expect, it } from 'vitest';
import { Gauge, InvalidValueError } from '../src/index';

describe('Gauge', () => {
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
