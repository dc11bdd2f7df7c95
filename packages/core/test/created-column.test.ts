import { afterEach, describe, expect, it, vi } from 'vitest';
import { Counter, Registry, render } from '../src/index';
import { CreatedColumn } from '../src/metrics/created-column';

const DAY_MS = 86_400_000;
const T0 = Date.UTC(2026, 0, 2, 3, 4, 5, 678);

afterEach(() => {
  vi.useRealTimers();
});

/** `_created` of every series on an OpenMetrics page with created samples, by `id` label. */
async function createdOnPage(registry: Registry): Promise<Map<string, number>> {
  const { body } = await render(registry, 'application/openmetrics-text; version=1.0.0', {
    openMetricsCreated: true,
  });
  const out = new Map<string, number>();
  for (const [, id, value] of String(body).matchAll(/^c_created\{id="([^"]+)"\} (\S+)$/gm)) {
    out.set(id!, Number(value));
  }
  return out;
}

describe('created timestamps of counter series', () => {
  it('are the exact time each series was made, in collect() and on the page', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: T0 });
    const registry = new Registry();
    const c = new Counter('c_total', 'C.', { labelNames: ['id'], registry });
    const made = new Map<string, number>();
    // Across column growth, a day apart, a millisecond apart, and 49.7+ days on (past
    // what a 4-byte offset holds, so the column turns into Float64 there).
    const steps = [0, 1, 1, 999, DAY_MS, 17, 30 * DAY_MS, 19 * DAY_MS, 3, 2 * DAY_MS];
    let n = 0;
    for (const step of steps) {
      vi.setSystemTime(Date.now() + step);
      for (let i = 0; i < 7; i++) {
        const id = `s${n++}`;
        c.inc({ id });
        made.set(id, Date.now() / 1000);
      }
    }
    const collected = new Map(c.collect().points.map((p) => [p.labels.id!, p.created!]));
    expect(collected).toEqual(made);
    expect(await createdOnPage(registry)).toEqual(made);
    // Later series never show an earlier time than earlier ones (the clock only moved on).
    const times = [...collected.values()];
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it('stay exact when the wall clock is set back, by a little or by more than an hour', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: T0 });
    const registry = new Registry();
    const c = new Counter('c_total', 'C.', { labelNames: ['id'], registry });
    const made = new Map<string, number>();
    for (const [id, at] of [
      ['a', T0],
      ['b', T0 - 1_000],
      ['c', T0 - 3 * 3_600_000],
      ['d', T0 + 5],
    ] as const) {
      vi.setSystemTime(at);
      c.inc({ id });
      made.set(id, at / 1000);
    }
    expect(await createdOnPage(registry)).toEqual(made);
  });

  it('start again when a removed series is made again, in a reused index', () => {
    vi.useFakeTimers({ toFake: ['Date'], now: T0 });
    const c = new Counter('c_total', 'C.', { labelNames: ['id'], registry: null });
    c.inc({ id: 'a' });
    c.inc({ id: 'b' });
    c.remove({ id: 'a' });
    vi.setSystemTime(T0 + 42);
    c.inc({ id: 'a' });
    const created = new Map(c.collect().points.map((p) => [p.labels.id!, p.created]));
    expect(created).toEqual(
      new Map([
        ['b', T0 / 1000],
        ['a', (T0 + 42) / 1000],
      ]),
    );
  });
});

describe('CreatedColumn', () => {
  it('reads back every stored millisecond exactly, before and after it widens', () => {
    const column = new CreatedColumn();
    const stored: number[] = [];
    for (let i = 0; i < 1_000; i++) {
      stored[i] = T0 + i * 7_919;
      column.set(i, stored[i]!);
    }
    expect(column.widened).toBe(false);
    for (let i = 0; i < 1_000; i++) expect(column.seconds(i)).toBe(stored[i]! / 1000);
    // 50 days on: no longer fits 32 bits of milliseconds from the base.
    stored[1_000] = T0 + 50 * DAY_MS;
    column.set(1_000, stored[1_000]);
    expect(column.widened).toBe(true);
    for (let i = 0; i <= 1_000; i++) expect(column.seconds(i)).toBe(stored[i]! / 1000);
  });

  it('widens for a fraction of a millisecond rather than rounding it', () => {
    const column = new CreatedColumn();
    column.set(0, T0);
    column.set(1, T0 + 0.5);
    expect(column.widened).toBe(true);
    expect(column.seconds(0)).toBe(T0 / 1000);
    expect(column.seconds(1)).toBe((T0 + 0.5) / 1000);
  });

  it('copy() keeps the values of the moment it was taken', () => {
    const column = new CreatedColumn();
    column.set(0, T0);
    column.set(1, T0 + 1);
    const copy = column.copy();
    column.set(1, T0 + 2);
    column.set(2, T0 + 60 * DAY_MS);
    expect(copy.seconds(1)).toBe((T0 + 1) / 1000);
    expect(copy.widened).toBe(false);
    expect(column.seconds(1)).toBe((T0 + 2) / 1000);
  });
});
