import { lookup } from 'node:dns/promises';
import { request } from 'node:http';
import { promtoolCheck } from '@promkit/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, sampleValue, spawnExporter, TEST_EXPORTER } from './helpers/exporter-process';

afterEach(cleanup);

/** A raw GET that keeps the path exactly as written (fetch would normalise it). */
function rawGet(
  url: string,
  path: string,
  method = 'GET',
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const req = request(
      {
        host: target.hostname.replace(/^\[|\]$/g, ''),
        port: target.port,
        path,
        method,
        agent: false,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('hosts', () => {
  it('binds every -H address, IPv4 and IPv6, on one port', async () => {
    const proc = spawnExporter(['-H', '127.0.0.1', '-H', '::1', '-p', '0']);
    const urls = await proc.listening(2);
    expect(urls[0]).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const port = new URL(urls[0]!).port;
    expect(urls[1]).toBe(`http://[::1]:${port}`);
    for (const url of urls) {
      const res = await fetch(`${url}/metrics`);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('# TYPE sample_load_average gauge');
    }
    expect((await proc.stop()).code).toBe(0);
  });

  it('takes a host list from the environment, comma or space separated', async () => {
    for (const list of ['127.0.0.1,::1', '127.0.0.1  ::1']) {
      const proc = spawnExporter(['-p', '0'], { env: { PROMKIT_SAMPLE_HOST: list } });
      const urls = await proc.listening(2);
      expect(urls.map((u) => new URL(u).hostname)).toEqual(['127.0.0.1', '[::1]']);
      expect((await fetch(`${urls[1]}/metrics`)).status).toBe(200);
      await proc.stop();
    }
  });

  it('binds every address a host name resolves to', async () => {
    const addresses = (await lookup('localhost', { all: true })).map(({ address, family }) =>
      family === 6 ? `[${address}]` : address,
    );
    const proc = spawnExporter(['-H', 'localhost', '-p', '0']);
    const urls = await proc.listening(addresses.length);
    expect(urls.map((u) => new URL(u).hostname)).toEqual(addresses);
    for (const url of urls) expect((await fetch(`${url}/`)).status).toBe(200);
  });
});

describe('HTTP surface', () => {
  it('serves an escaped landing page linking to the metrics path', async () => {
    const proc = spawnExporter(
      ['-H', '127.0.0.1', '-p', '0', '--token', 't', '--metrics-path', '/m"<x>'],
      {
        script: TEST_EXPORTER,
      },
    );
    const [url] = await proc.listening();
    const res = await fetch(`${url}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await res.text();
    expect(html).toContain('<title>test-exporter</title>');
    expect(html).toContain(
      '<p>Counts &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quotes&#39;</p>',
    );
    expect(html).toContain('<a href="./m%22%3Cx%3E">/m&quot;&lt;x&gt;</a>');
    expect(html).not.toContain('<script>');
    // The link works: the percent-encoded path reaches the metrics.
    const metrics = await fetch(new URL('./m%22%3Cx%3E', `${url}/`));
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain('fixture_update_runs_total 1');
  });

  it('sends the Server header on every response, 404 elsewhere, 405 for other methods', async () => {
    const proc = spawnExporter(['-H', '127.0.0.1', '-p', '0', '--token', 't'], {
      script: TEST_EXPORTER,
    });
    const [url] = await proc.listening();
    const answers = await Promise.all([
      rawGet(url!, '/'),
      rawGet(url!, '/metrics'),
      rawGet(url!, '/metrics?x=1'),
      rawGet(url!, '/favicon.ico'),
      rawGet(url!, '/metrics', 'POST'),
      rawGet(url!, '/metrics', 'HEAD'),
    ]);
    for (const answer of answers) expect(answer.headers.server).toBe('test-exporter/1.2.3');
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 404, 405, 200]);
    expect(answers[3]!.body).toBe('Not Found\n');
    expect(answers[4]!.headers.allow).toBe('GET, HEAD');
    expect(answers[5]!.body).toBe('');
    expect(Number(answers[5]!.headers['content-length'])).toBeGreaterThan(0);
  });

  it('negotiates the format by Accept and gzips when asked', async () => {
    const proc = spawnExporter(['-H', '127.0.0.1', '-p', '0']);
    const [url] = await proc.listening();
    const text = await fetch(`${url}/metrics`, { headers: { accept: 'text/plain' } });
    expect(text.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const om = await fetch(`${url}/metrics`, {
      headers: {
        accept: 'application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5',
      },
    });
    expect(om.headers.get('content-type')).toBe(
      'application/openmetrics-text; version=1.0.0; charset=utf-8',
    );
    const body = await om.text();
    expect(body.endsWith('# EOF\n')).toBe(true);
    expect(body).toContain('sample_exporter_info{version="');
    // fetch asks for gzip and unpacks it transparently.
    const zipped = await fetch(`${url}/metrics`);
    expect(zipped.headers.get('content-encoding')).toBe('gzip');
    expect(await zipped.text()).toContain('# TYPE sample_random_observations histogram');
  });

  it('serves a page promtool accepts, with every createMetrics type', async () => {
    const proc = spawnExporter(['-H', '127.0.0.1', '-p', '0']);
    const [url] = await proc.listening();
    const body = await (
      await fetch(`${url}/metrics`, { headers: { accept: 'text/plain' } })
    ).text();
    for (const type of ['gauge', 'counter', 'summary', 'histogram']) {
      expect(body).toMatch(new RegExp(`^# TYPE sample_\\w+ ${type}$`, 'm'));
    }
    expect(body).toContain('sample_random_level{sample_random_level="low"}');
    expect(body).toMatch(/^sample_exporter_info\{version="\d+\.\d+\.\d+"\} 1$/m);
    expect(sampleValue(body, 'sample_random_observations_count')).toBe(1);
    const { code, output } = await promtoolCheck(body);
    expect(output).toBe('');
    expect(code).toBe(0);
  });
});
