import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  freePort,
  type PrometheusHandle,
  type PushgatewayHandle,
  type RedisHandle,
  startPrometheus,
  startPushgateway,
  startRedis,
} from '@promkit/testkit';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { blockDir } from '../src/consumer-files';
import { parseReadme } from '../src/readme-blocks';
import { type BlockRun, runBlock } from '../src/run-block';
import { doctestReadmes, ROOT } from '../src/workspace';

// Every README code block, written into the consumer project (the packed packages
// installed by npm outside the workspace) and type-checked there by the global setup,
// run there, with a real Redis, Pushgateway and remote-write receiver (Prometheus) for the
// blocks that talk to one.
const consumer = inject('consumer');
const readmes = doctestReadmes().map((readme) => ({
  readme,
  ...parseReadme(readme, readFileSync(join(ROOT, readme), 'utf8')),
}));

const diagnostics = Object.entries(inject('diagnostics'));
let redis: RedisHandle;
let pushgateway: PushgatewayHandle;
let prometheus: PrometheusHandle;
let env: Record<string, string>;

beforeAll(async () => {
  [redis, pushgateway, prometheus] = await Promise.all([
    startRedis(),
    startPushgateway(),
    // A remote-write receiver; it scrapes nothing.
    startPrometheus({
      targets: [],
      nativeHistograms: true,
      extraFlags: ['--web.enable-remote-write-receiver'],
    }),
  ]);
  env = {
    REDIS_URL: redis.url,
    PUSHGATEWAY_URL: pushgateway.url,
    REMOTE_WRITE_URL: `${prometheus.url}/api/v1/write`,
  };
});

afterAll(async () => {
  await Promise.all([redis?.stop(), pushgateway?.stop(), prometheus?.stop()]);
});

function describeRun(run: BlockRun): string {
  return `${JSON.stringify({ ...run, output: undefined }, null, 2)}\noutput:\n${run.output}`;
}

for (const { readme, doctests, installed } of readmes) {
  if (doctests.length === 0) continue;
  describe(readme, () => {
    for (const doctest of doctests) {
      const where = `block ${doctest.index} (line ${doctest.line})`;
      it(`${where} imports only packages the install line names`, () => {
        const missing = doctest.imports.filter((name) => !installed.has(name));
        expect(missing, `missing from the install lines of ${readme}`).toEqual([]);
      });
      if (doctest.typescript) {
        it(`${where} type-checks against the packaged declarations`, () => {
          const dir = blockDir(doctest);
          const errors = diagnostics.filter(([file]) => file.startsWith(`${dir}/`));
          expect(errors.flatMap(([, lines]) => lines).join('\n'), 'tsc (strict, NodeNext)').toBe(
            '',
          );
        });
      }
      if (doctest.typecheckOnly !== undefined) continue;
      it(`${where} runs as written`, async () => {
        const run = await runBlock({
          dir: join(consumer.dir, blockDir(doctest)),
          entry: doctest.files[0]?.name ?? '',
          typescript: doctest.typescript,
          env,
        });
        const details = describeRun(run);
        expect(run.timedOut, details).toBe(false);
        expect(run.output, 'an error was printed').not.toMatch(/PROMKIT_ERR_|Error\b/);
        if (run.stoppedAfterSigterm === undefined) {
          expect(run.exitCode, details).toBe(0);
          return;
        }
        for (const served of run.served) expect(served.status, details).toBe(200);
        expect(run.stoppedAfterSigterm, details).toBe('exited');
        expect(run.exitCode === 0 || run.signal === 'SIGTERM', details).toBe(true);
      });
    }
  });
}

describe('the Redis README example with Redis down', () => {
  it('answers /metrics with 503 and stops on SIGTERM without an unhandled error', async () => {
    const readme = readmes.find((r) => r.readme === 'packages/redis/README.md');
    const doctest = readme?.doctests.find((d) => d.imports.includes('@promkit/redis'));
    expect(doctest, 'packages/redis/README.md has a block importing @promkit/redis').toBeDefined();
    if (doctest === undefined) return;
    const down = await freePort(); // nothing listens there
    const run = await runBlock({
      dir: join(consumer.dir, blockDir(doctest)),
      entry: doctest.files[0]?.name ?? '',
      typescript: doctest.typescript,
      env: { ...env, REDIS_URL: `redis://127.0.0.1:${down}` },
    });
    const details = describeRun(run);
    expect(run.served.length, details).toBeGreaterThan(0);
    for (const served of run.served) expect(served.status, details).toBe(503);
    expect(run.stoppedAfterSigterm, details).toBe('exited');
    expect(run.exitCode, details).toBe(0);
    expect(run.output, details).not.toMatch(/Unhandled|triggerUncaughtException/);
  });
});
