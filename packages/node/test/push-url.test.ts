import { ConfigError, InvalidNameError } from '@promkit/core';
import { describe, expect, it } from 'vitest';
import { groupPath, Pusher } from '../src/index';

describe('groupPath', () => {
  it.each([
    ['batch', {}, '/metrics/job/batch'],
    ['batch', { instance: 'db-1' }, '/metrics/job/batch/instance/db-1'],
    ['batch', { path: '/var/tmp' }, '/metrics/job/batch/path@base64/L3Zhci90bXA'],
    ['batch', { empty: '' }, '/metrics/job/batch/empty@base64/='],
    ['batch', { text: 'a b?c#d%' }, '/metrics/job/batch/text/a%20b%3Fc%23d%25'],
    ['a/b', {}, '/metrics/job@base64/YS9i'],
    ['batch', { u: 'ü>?' }, '/metrics/job/batch/u/%C3%BC%3E%3F'],
    // URL-safe alphabet: '-' and '_' instead of '+' and '/'.
    ['batch', { v: '/>>?' }, '/metrics/job/batch/v@base64/Lz4-Pw'],
  ] as const)('job %j with %j → %s', (job, key, expected) => {
    expect(groupPath(job, key)).toBe(expected);
  });

  it('rejects an empty job, a job label in the key and invalid label names', () => {
    expect(() => groupPath('')).toThrow(ConfigError);
    expect(() => groupPath('j', { job: 'x' })).toThrow(ConfigError);
    expect(() => groupPath('j', { 'bad-name': 'x' })).toThrow(InvalidNameError);
    expect(() => groupPath('j', { __reserved: 'x' })).toThrow(InvalidNameError);
  });

  it('keeps a gateway base path', () => {
    const pusher = new Pusher('j', 'http://gw.example:9091/prefix/', { groupingKey: { a: 'b' } });
    expect(pusher.url).toBe('http://gw.example:9091/prefix/metrics/job/j/a/b');
  });

  it('rejects a gateway that is not an http(s) URL', () => {
    expect(() => new Pusher('j', 'gw:9091')).toThrow(ConfigError);
    expect(() => new Pusher('j', 'not a url')).toThrow(ConfigError);
  });
});
