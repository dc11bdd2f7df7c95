import { describe, expect, it } from 'vitest';
import { createHttpMetrics } from '../src/http/http-metrics';
import { PathRules } from '../src/http/path-rules';
import { requestSeconds, wallSecondsAt } from '../src/http/request-clock';
import { methodLabel, OTHER_METHOD, statusLabel } from '../src/http/request-labels';
import { Registry } from '../src/registry';

// What the per-request shortcuts remember (the last method, template and series, the bound
// in-flight series) must never change an answer.

describe('statusLabel', () => {
  it('labels every integer status in 100..599 and nothing else', () => {
    expect(statusLabel(100, false)).toBe('100');
    expect(statusLabel(404, false)).toBe('404');
    expect(statusLabel(599, false)).toBe('599');
    expect(statusLabel(404, true)).toBe('4xx');
    expect(statusLabel(101, true)).toBe('1xx');
    for (const bad of [0, 99, 600, 1e9, -200, 200.5, Number.NaN, Number.POSITIVE_INFINITY, -0]) {
      expect(statusLabel(bad, false)).toBe('invalid');
      expect(statusLabel(bad, true)).toBe('invalid');
    }
    expect(statusLabel('200' as unknown as number, false)).toBe('invalid');
  });
});

describe('methodLabel', () => {
  it('gives the same label whatever the previous call was', () => {
    const calls = ['GET', 'BREW', 'POST', 'POST', 'get', 'PATCH', 'GET', 'GET', 'BREW'];
    const labels = calls.map(methodLabel);
    expect(labels).toEqual([
      'GET',
      OTHER_METHOD,
      'POST',
      'POST',
      OTHER_METHOD,
      'PATCH',
      'GET',
      'GET',
      OTHER_METHOD,
    ]);
    // An equal string that is another object answers the same.
    expect(methodLabel(['P', 'U', 'T'].join(''))).toBe('PUT');
    expect(methodLabel(['P', 'U', 'T'].join(''))).toBe('PUT');
  });
});

describe('PathRules.templateLabel', () => {
  it('answers a repeated template as the first time, excluded or not', () => {
    const rules = new PathRules(['/health'], [[/^\/v\d+/, '/v:n']], '<unmatched>');
    for (let i = 0; i < 3; i++) {
      expect(rules.templateLabel('/health')).toBeUndefined();
      expect(rules.templateLabel('/health')).toBeUndefined();
      expect(rules.templateLabel('/v2/users')).toBe('/v:n/users');
      expect(rules.templateLabel('/v2/users')).toBe('/v:n/users');
      expect(rules.templateLabel('/users')).toBe('/users');
    }
  });

  it('calls a failing normalizePath again (and counts it) on the next request of that route', () => {
    const faults: unknown[] = [];
    let calls = 0;
    const rules = new PathRules(
      [],
      (path) => {
        calls++;
        if (calls <= 2) throw new Error('not yet');
        return path.toUpperCase();
      },
      '<unmatched>',
      (error) => faults.push(error),
    );
    expect(rules.templateLabel('/a')).toBe('/a');
    expect(rules.templateLabel('/a')).toBe('/a');
    expect(rules.templateLabel('/a')).toBe('/A');
    expect(rules.templateLabel('/a')).toBe('/A');
    expect(calls).toBe(3);
    expect(faults).toHaveLength(2);
  });
});

describe('the in-flight gauge', () => {
  it('keeps counting after the gauge was reset or its series removed', () => {
    const http = createHttpMetrics({ registry: new Registry() });
    const gauge = http.inFlight!;
    const first = http.start('GET', '/a', undefined, undefined)!;
    expect(gauge.get()).toBe(1);
    gauge.reset();
    const second = http.start('GET', '/b', undefined, undefined)!;
    expect(gauge.get()).toBe(1);
    gauge.remove();
    expect(gauge.get()).toBeUndefined();
    const third = http.start('GET', '/c', undefined, undefined)!;
    expect(gauge.get()).toBe(1);
    third.end(200);
    second.end(200);
    first.end(200);
    expect(gauge.get()).toBe(-2);
  });
});

describe('requestSeconds', () => {
  it('is a monotonic clock in seconds, finer than a millisecond', () => {
    // Resolution: the smallest step between distinct readings, over many, so that the process
    // being paused between two of them cannot decide it.
    let smallest = Number.POSITIVE_INFINITY;
    let previous = requestSeconds();
    for (let i = 0; i < 1000; i++) {
      const now = requestSeconds();
      expect(now).toBeGreaterThanOrEqual(previous);
      if (now !== previous) smallest = Math.min(smallest, now - previous);
      previous = now;
    }
    expect(smallest).toBeLessThan(0.001);
    // Seconds, not milliseconds: at least 19 ms of wall clock reads as more than 0.015.
    const start = requestSeconds();
    const until = Date.now() + 20;
    while (Date.now() < until) {
      // spin
    }
    expect(requestSeconds() - start).toBeGreaterThan(0.015);
  });
});

describe('wallSecondsAt', () => {
  it('gives the wall-clock time of a requestSeconds() reading, later readings included', () => {
    // Bracketed by wall-clock readings (a pause between two reads cannot fail it), with the
    // millisecond grain of Date.now() as slack.
    const at = (shift: number) => {
      const before = Date.now() / 1000 + shift;
      const wall = wallSecondsAt(requestSeconds() + shift);
      const after = Date.now() / 1000 + shift;
      expect(wall).toBeGreaterThanOrEqual(before - 0.002);
      expect(wall).toBeLessThanOrEqual(after + 0.002);
    };
    at(0);
    // A reading 20 s on (past the re-sync interval) and one 1 s back both keep the offset.
    at(20);
    at(-1);
  });
});
