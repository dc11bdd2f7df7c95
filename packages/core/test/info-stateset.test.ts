import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  Enum,
  Info,
  InvalidNameError,
  InvalidValueError,
  LabelSetError,
  ReservedLabelError,
  StateSet,
} from '../src/index';

describe('Info', () => {
  it('holds one set of information labels, const labels first', () => {
    const info = new Info('build', 'Build.', { registry: null, constLabels: { app: 'shop' } });
    expect(info.collect().points).toEqual([]);
    info.set({ version: '1.2.3', commit: 'abc' });
    expect(info.get()).toEqual({ app: 'shop', version: '1.2.3', commit: 'abc' });
    info.set({ version: '2' });
    expect(info.collect().points).toHaveLength(1);
    expect(info.collect().points[0]?.labelText).toBe('app="shop",version="2"');
  });

  it('rejects bad labels and keeps the previous value', () => {
    const info = new Info('b2', 'B.', { registry: null, constLabels: { app: 'x' } });
    info.set({ version: '1' });
    expect(() => info.set({ app: 'y' })).toThrow(LabelSetError);
    expect(() => info.set({ v: 1 as unknown as string })).toThrow(/must be a string/);
    expect(info.get()).toEqual({ app: 'x', version: '1' });
  });
});

describe('StateSet', () => {
  it('works as an enum and as a set of flags', () => {
    const s = new StateSet('phase', 'P.', {
      registry: null,
      states: ['idle', 'run', 'done'] as const,
      labelNames: ['job'] as const,
    });
    s.set({ job: 'a' }, 'run');
    expect(s.get({ job: 'a' })).toEqual({ idle: false, run: true, done: false });
    s.setStates({ job: 'a' }, { done: true });
    expect(s.get({ job: 'a' })).toEqual({ idle: false, run: true, done: true });
    const points = s.collect().points;
    expect(points.map((p) => [p.labels.phase, p.value])).toEqual([
      ['idle', 0],
      ['run', 1],
      ['done', 1],
    ]);
    expect(points[1]?.labels).toEqual({ job: 'a', phase: 'run' });
    expect(Enum).toBe(StateSet);
  });

  it('rejects unknown states atomically and bad configs', () => {
    const s = new StateSet('mode', 'M.', {
      registry: null,
      states: ['a', 'b'] as const,
      labelNames: [] as const,
    });
    s.set(undefined, 'a');
    expect(() => s.set(undefined, 'c' as 'a')).toThrow(InvalidValueError);
    expect(() => s.setStates(undefined, { b: true, c: true } as never)).toThrow(
      /unknown state "c"/,
    );
    expect(s.get()).toEqual({ a: true, b: false });
    expect(() => new StateSet('x', 'X.', { registry: null, states: [] })).toThrow(ConfigError);
    expect(() => new StateSet('y', 'Y.', { registry: null, states: ['a', 'a'] })).toThrow(
      ConfigError,
    );
  });
});

describe('StateSet names', () => {
  it('rejects names that cannot also be the label carrying the state', () => {
    expect(() => new StateSet('a:b', 'x', { registry: null, states: ['s'] })).toThrow(
      InvalidNameError,
    );
    expect(() => new StateSet('__x', 'x', { registry: null, states: ['s'] })).toThrow(
      ReservedLabelError,
    );
  });
});
