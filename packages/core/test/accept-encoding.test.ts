import { describe, expect, it } from 'vitest';
import { acceptsGzip } from '../src/http/accept-encoding';

describe('acceptsGzip', () => {
  const table: Array<[string | undefined, boolean]> = [
    [undefined, false],
    ['', false],
    ['gzip', true],
    ['deflate, gzip;q=0.5', true],
    ['gzip;q=0', false],
    ['*', true],
    ['br, *;q=0', false],
    ['identity', false],
    ['GZIP', true],
    ['x-gzip', true],
    ['*;q=0.5, gzip;q=0', false],
  ];
  for (const [header, expected] of table) {
    it(`${JSON.stringify(header)} → ${expected}`, () => {
      expect(acceptsGzip(header)).toBe(expected);
    });
  }
});
