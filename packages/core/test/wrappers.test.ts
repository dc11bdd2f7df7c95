import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import {
  Counter,
  countExceptions,
  Gauge,
  Histogram,
  inprogress,
  Summary,
  timer,
} from '../src/index';

describe('function wrappers', () => {
  it('timer observes sync and async durations, failures included', async () => {
    const h = new Histogram('call_seconds', 'C.', { registry: null, labelNames: ['fn'] as const });
    const add = timer(h, { fn: 'add' })((a: number, b: number) => a + b);
    expect(add(2, 3)).toBe(5);
    expect(add.name).toBe('');
    const slow = timer(h, { fn: 'slow' })(async () => {
      await new Promise((r) => setTimeout(r, 20));
      return 'done';
    });
    await expect(slow()).resolves.toBe('done');
    const failing = timer(h, { fn: 'fail' })(() => {
      throw new Error('nope');
    });
    expect(() => failing()).toThrow('nope');
    expect(h.get({ fn: 'add' })?.count).toBe(1);
    expect(h.get({ fn: 'slow' })?.sum).toBeGreaterThan(0.015);
    expect(h.get({ fn: 'fail' })?.count).toBe(1);
    const s = new Summary('call_summary', 'S.', { registry: null });
    timer(s)(() => 1)();
    expect(s.get()?.count).toBe(1);
  });

  it('inprogress counts concurrent calls', async () => {
    const g = new Gauge('in_flight', 'I.', { registry: null });
    let release!: () => void;
    const work = inprogress(g)(
      () =>
        new Promise<void>((r) => {
          release = r;
        }),
    );
    const running = work();
    expect(g.get()).toBe(1);
    release();
    await running;
    expect(g.get()).toBe(0);
    const boom = inprogress(g)(async () => {
      throw new Error('x');
    });
    await expect(boom()).rejects.toThrow('x');
    expect(g.get()).toBe(0);
  });

  it('countExceptions counts throws and rejections and re-throws them unchanged', async () => {
    const c = new Counter('failures_total', 'F.', { registry: null });
    const error = new TypeError('bad');
    const parse = countExceptions(c)((text: string) => {
      if (text === '') throw error;
      return text.length;
    });
    expect(parse('abc')).toBe(3);
    expect(() => parse('')).toThrow(error);
    const rejects = countExceptions(c)(async () => Promise.reject(error));
    await expect(rejects()).rejects.toBe(error);
    expect(c.get()).toBe(2);
  });

  it('works as TC39 method decorators (compiled by TypeScript) and keeps `this`', async () => {
    const h = new Histogram('method_seconds', 'M.', { registry: null });
    const c = new Counter('method_failures_total', 'F.', { registry: null });
    const g = new Gauge('method_in_progress', 'G.', { registry: null });
    // Node 20 has no decorator syntax: compile the class the way a user's tsc would.
    const source = `
      class Service {
        factor = 3;
        @timer(h)
        @countExceptions(c)
        @inprogress(g)
        async scale(x: number): Promise<number> {
          if (x < 0) throw new Error('negative');
          return x * this.factor;
        }
      }
      return new Service();`;
    const js = ts.transpileModule(source, {
      compilerOptions: { target: ts.ScriptTarget.ES2022, experimentalDecorators: false },
    }).outputText;
    const make = new Function('timer', 'countExceptions', 'inprogress', 'h', 'c', 'g', js);
    const svc = make(timer, countExceptions, inprogress, h, c, g) as {
      scale(x: number): Promise<number>;
    };
    await expect(svc.scale(2)).resolves.toBe(6);
    await expect(svc.scale(-1)).rejects.toThrow('negative');
    expect(h.get()?.count).toBe(2);
    expect(c.get()).toBe(1);
    expect(g.get()).toBe(0);
  });
});
