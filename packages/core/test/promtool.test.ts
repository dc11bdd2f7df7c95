import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { encodeText } from '../src/exposition/text';
import { createHttpMetrics } from '../src/http/http-metrics';
import type { HttpMetricNames } from '../src/http/http-options';
import type { MetricFamily } from '../src/model';
import { Registry } from '../src/registry';
import { richFamilies } from './exposition-fixtures';

// A local runner rather than @promkit/testkit's promtoolCheck: testkit depends on
// @promkit/core, so core depending on it would make the workspace graph cyclic.
const PROMTOOL = '/usr/bin/promtool';

function promtoolCheck(text: string): Promise<{ code: number; output: string }> {
  if (!existsSync(PROMTOOL)) throw new Error(`${PROMTOOL} is missing: apt-get install prometheus`);
  return new Promise((resolve, reject) => {
    const child = spawn(PROMTOOL, ['check', 'metrics'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    child.stdin.on('error', () => {}); // promtool may stop reading after a parse error
    child.once('error', reject);
    child.once('close', (code) => resolve({ code: code ?? -1, output }));
    child.stdin.end(text);
  });
}

describe('promtool check metrics', () => {
  it('accepts the text page of every type and edge with no lint finding', async () => {
    const page = encodeText(richFamilies());
    const result = await promtoolCheck(page);
    expect(result).toEqual({ code: 0, output: '' });
  });

  it('accepts timestamps and a histogram with many series', async () => {
    const points = [];
    for (let i = 0; i < 200; i++) {
      points.push({
        labels: { shard: `${i}`, note: `quote " backslash \\ newline \n #${i}` },
        timestampMs: 1_700_000_000_000 + i,
        value: { bounds: [0.1, 1, 10], counts: [i, 1, 0, 2], count: i + 3, sum: i * 1.5 },
      });
    }
    const family: MetricFamily = { name: 'load_seconds', help: 'Load.', type: 'histogram', points };
    expect(await promtoolCheck(encodeText([family]))).toEqual({ code: 0, output: '' });
  });

  it('reports lint findings for names it dislikes, so a clean run means something', async () => {
    const family: MetricFamily = {
      name: 'requests_total_counter',
      help: '',
      type: 'counter',
      points: [{ labels: {}, value: 1 }],
    };
    const result = await promtoolCheck(encodeText([family]));
    expect(result.code).toBe(3);
    expect(result.output).toContain('no help text');
    expect(result.output).toContain('_total');
  });

  async function httpMetricsPage(names: HttpMetricNames): Promise<string> {
    const registry = new Registry();
    const http = createHttpMetrics({ registry, names });
    const ok = http.start('GET', '/users/1', undefined, undefined)!;
    ok.matched('/users/:id');
    ok.end(200);
    const boom = http.start('POST', '/boom', undefined, undefined)!;
    boom.exception(new Error('boom'));
    boom.end(500);
    return encodeText(await registry.collect());
  }

  it('finds nothing to lint in the default HTTP metrics', async () => {
    expect(await promtoolCheck(await httpMetricsPage('promkit'))).toEqual({
      code: 0,
      output: '',
    });
  });

  it("lints the aioprometheus preset's counter names (the documented caveat)", async () => {
    const result = await promtoolCheck(await httpMetricsPage('aioprometheus'));
    expect(result.code).toBe(3);
    for (const name of [
      'requests_total_counter',
      'responses_total_counter',
      'exceptions_total_counter',
      'status_codes_counter',
    ]) {
      expect(result.output).toContain(`${name} counter metrics should have "_total" suffix`);
    }
  });

  it('fails to parse a broken page (exit 1)', async () => {
    const result = await promtoolCheck('# TYPE x gauge\nx{a="unterminated} 1\n');
    expect(result.code).toBe(1);
  });
});
