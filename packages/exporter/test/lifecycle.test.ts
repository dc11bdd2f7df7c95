import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, runToExit, spawnExporter, TEST_EXPORTER } from './helpers/exporter-process';

afterEach(cleanup);

function occupyPort(): Promise<{ server: Server; port: number }> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve({ server, port: typeof address === 'object' && address !== null ? address.port : 0 });
    });
  });
}

describe('signals', () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`${signal} runs onShutdown, closes the servers and exits 0`, async () => {
      const proc = spawnExporter(['-H', '127.0.0.1', '-p', '0']);
      const [url] = await proc.listening();
      expect((await fetch(`${url}/metrics`)).status).toBe(200);
      const exit = await proc.stop(signal);
      expect(exit).toEqual({ code: 0, signal: null });
      expect(proc.stderrLines().slice(-3)).toEqual([
        `INFO shutting down signal=${signal}`,
        'INFO sampling stopped',
        'INFO stopped',
      ]);
      await expect(fetch(`${url}/metrics`)).rejects.toThrow();
    });
  }

  it('exits even with a keep-alive connection open', async () => {
    const proc = spawnExporter(['-H', '127.0.0.1', '-p', '0', '--token', 't'], {
      script: TEST_EXPORTER,
    });
    const [url] = await proc.listening();
    // fetch keeps its connection alive in a pool.
    await (await fetch(`${url}/metrics`)).text();
    expect((await proc.stop()).code).toBe(0);
    expect(proc.stderrLines()).toContain('INFO fixture shutdown hook ran');
  });
});

describe('startup failures exit 1 with a logged error', () => {
  it('port in use', async () => {
    const { server, port } = await occupyPort();
    try {
      const result = await runToExit(['-H', '127.0.0.1', '-p', String(port)]);
      expect(result.code).toBe(1);
      expect(result.stderr.split('\n')).toEqual([
        'INFO sampling random values interval_seconds=5',
        `ERROR cannot listen on 127.0.0.1:${port}: address already in use`,
        'INFO sampling stopped',
      ]);
    } finally {
      server.close();
    }
  });

  it('port in use on the second host closes the first', async () => {
    const { server, port } = await occupyPort();
    try {
      const result = await runToExit(['-H', '::1', '-H', '127.0.0.1', '-p', String(port)]);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(
        `ERROR cannot listen on 127.0.0.1:${port}: address already in use`,
      );
      expect(result.stderr).not.toContain('listening');
    } finally {
      server.close();
    }
  });

  it('a host that does not resolve', async () => {
    const result = await runToExit(['-H', 'no-such-host.invalid', '-p', '0']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^ERROR cannot resolve host "no-such-host\.invalid": .*ENOTFOUND/m,
    );
  });

  it('an address this machine does not have', async () => {
    const result = await runToExit(['-H', '192.0.2.1', '-p', '0']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^ERROR cannot listen on 192\.0\.2\.1:0: .*EADDRNOTAVAIL/m);
  });

  it('a throwing startup hook', async () => {
    const result = await runToExit(['-p', '0', '--token', 't', '--fail-startup'], {
      script: TEST_EXPORTER,
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('ERROR cannot reach the backend');
  });
});
