import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { freePort } from '../src/index';

describe('freePort', () => {
  it('returns a port that can be bound on 127.0.0.1', async () => {
    const port = await freePort();
    expect(port).toBeGreaterThan(0);
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', resolve);
    });
    const address = server.address();
    await new Promise((resolve) => server.close(resolve));
    expect(typeof address === 'object' && address?.port).toBe(port);
  });
});
