import { describe, expect, it } from 'vitest';
import { withTimeout } from '../src/index';

const never = new Promise<never>(() => {});

describe('withTimeout', () => {
  it('settles like the promise when it settles first', async () => {
    await expect(withTimeout(Promise.resolve(7), 60_000)).resolves.toBe(7);
    const failure = new Error('store down');
    await expect(withTimeout(Promise.reject(failure), 60_000)).rejects.toBe(failure);
  });

  it('rejects with onTimeout() when the promise is still pending, or a message naming the limit', async () => {
    const timeout = new Error('no answer');
    await expect(withTimeout(never, 5, () => timeout)).rejects.toBe(timeout);
    await expect(withTimeout(never, 5)).rejects.toThrow('timed out after 5 ms');
  });
});
