// A scanner hitting thousands of random URLs must not grow the metrics: every unmatched
// request shares one `path` label, and nothing from the request (path, query string,
// headers) becomes a label value with the default options.
import { once } from 'node:events';
import { Agent, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type MetricFamily, Registry, UNMATCHED_PATH } from '@promkit/core';
import { seededRandom } from '@promkit/testkit';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metricsHandler, metricsMiddleware } from '../src/index';

const REQUESTS = 5_000;
const CONCURRENCY = 32;
const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD'] as const;
/** Every random URL and header carries it; it must appear in no label value. */
const MARKER = 'scan7q';

const SEGMENTS = [
  'wp-admin',
  '.env',
  '.git',
  'config.php',
  '..',
  '%2e%2e',
  'cgi-bin',
  'phpmyadmin',
  'actuator',
  'api',
  'v1',
  'admin',
  '%00',
  '%F0%9F%98%80',
  'users',
];

/** A scanner-like request target: random segments, percent-encoded bytes, a query string. */
function randomTarget(random: () => number, i: number): string {
  const parts: string[] = [];
  const depth = 1 + Math.floor(random() * 6);
  for (let d = 0; d < depth; d++) {
    const r = random();
    if (r < 0.4) parts.push(SEGMENTS[Math.floor(random() * SEGMENTS.length)]!);
    else if (r < 0.8) parts.push(`${MARKER}${Math.floor(random() * 1e9).toString(36)}`);
    else {
      let bytes = '';
      const n = 1 + Math.floor(random() * 12);
      for (let b = 0; b < n; b++)
        bytes += `%${Math.floor(random() * 256)
          .toString(16)
          .padStart(2, '0')}`;
      parts.push(bytes);
    }
  }
  const long = random() < 0.05 ? `/${MARKER}${'z'.repeat(4_000)}` : '';
  // Never a real route: /users/:id is one ('/users' alone is not), the long tail included.
  if (parts[0] === 'users' && parts.length + (long === '' ? 0 : 1) === 2) parts.push('x');
  const query = random() < 0.5 ? `?token=${MARKER}${i}&q=${encodeURIComponent('<script>')}` : '';
  return `/${parts.join('/')}${long}${query}`;
}

let server: ReturnType<ReturnType<typeof express>['listen']>;
let base: { host: string; port: number };
const registry = new Registry();
const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });

beforeAll(async () => {
  const app = express();
  const instrument = metricsMiddleware({ registry });
  app.use(instrument);
  app.get('/users/:id', (req, res) => {
    res.send(`user ${req.params.id}`);
  });
  app.get('/metrics', metricsHandler({ registry }));
  app.use(instrument.errorHandler);
  server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = { host: '127.0.0.1', port: (server.address() as AddressInfo).port };
});

afterAll(async () => {
  agent.destroy();
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
});

function send(method: string, path: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ ...base, agent, method, path, headers }, (res) => {
      res.resume();
      res.once('end', () => resolve(res.statusCode ?? 0));
    });
    req.once('error', reject);
    req.end();
  });
}

function labelValues(families: MetricFamily[], name: string): Set<string> {
  const values = new Set<string>();
  for (const family of families) {
    for (const point of family.points) {
      const value = point.labels[name];
      if (value !== undefined) values.add(value);
    }
  }
  return values;
}

describe(`${REQUESTS} scanner requests to random URLs`, () => {
  const seed = Number(process.env.PROMKIT_SCAN_SEED ?? Date.now() % 2 ** 31);

  it(`share one path label and add no series (seed ${seed})`, async () => {
    const random = seededRandom(seed);
    const statuses = new Map<number, number>();
    let next = 0;
    async function client(): Promise<void> {
      while (next < REQUESTS) {
        const i = next++;
        const method = METHODS[Math.floor(random() * METHODS.length)]!;
        const status = await send(method, randomTarget(random, i), {
          'user-agent': `${MARKER}-bot/${i}`,
          'x-forwarded-for': `10.${i % 256}.0.1`,
          referer: `http://${MARKER}.example/${i}`,
          cookie: `session=${MARKER}${i}`,
        });
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
      }
    }
    await Promise.all(Array.from({ length: CONCURRENCY }, client));

    const families = await registry.collect();
    const requests = families.find((f) => f.name === 'http_requests_total')!;
    const total = requests.points.reduce((n, p) => n + ('value' in p ? (p.value as number) : 0), 0);
    expect(total).toBe(REQUESTS);
    expect(labelValues(families, 'path')).toEqual(new Set([UNMATCHED_PATH]));
    expect(
      [...labelValues(families, 'method')].every((m) => (METHODS as readonly string[]).includes(m)),
    ).toBe(true);
    // Bounded: at most one series per method (and per status for the status metrics).
    expect(requests.points.length).toBeLessThanOrEqual(METHODS.length);
    const byStatus = families.find((f) => f.name === 'http_requests_by_status_total')!;
    expect(byStatus.points.length).toBeLessThanOrEqual(METHODS.length * statuses.size);
    const page = await (
      await fetch(`http://${base.host}:${base.port}/metrics`, { headers: { accept: 'text/plain' } })
    ).text();
    expect(page).not.toContain(MARKER);
    expect(page).not.toContain('script');
    expect(page).not.toContain('wp-admin');
    // Nothing beyond the HTTP metrics' own series: one in-flight gauge, duration buckets.
    const seriesLines = page.split('\n').filter((line) => line !== '' && !line.startsWith('#'));
    expect(seriesLines.length).toBeLessThan(METHODS.length * statuses.size * 20 + 10);
  });
});
