import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RedisHandle, redisPing, startRedis } from '../src/index';

let redis: RedisHandle;

beforeAll(async () => {
  redis = await startRedis();
});

afterAll(async () => {
  await redis?.stop();
});

describe('startRedis', () => {
  it('answers PING on its loopback port', async () => {
    expect(redis.url).toBe(`redis://127.0.0.1:${redis.port}`);
    expect(await redisPing(redis.port)).toBe(true);
  });

  it('goes away when killed and comes back on the same port after restart', async () => {
    const port = redis.port;
    await redis.kill();
    expect(await redisPing(port)).toBe(false);
    await redis.restart();
    expect(redis.port).toBe(port);
    expect(await redisPing(port)).toBe(true);
  });
});
