import { decodeProtobuf, promtoolCheck } from '@promkit/testkit';
import { describe, expect, it } from 'vitest';
import {
  Counter,
  encodeOpenMetrics,
  encodeProtobuf,
  encodeText,
  Info,
  Registry,
} from '../src/index';
import { wellFormed } from '../src/well-formed';

describe('ill-formed UTF-16 never reaches the wire', () => {
  it('replaces lone surrogates with U+FFFD, keeps pairs', () => {
    expect(wellFormed('a\uD800b')).toBe('a\uFFFDb');
    expect(wellFormed('\uDC00')).toBe('\uFFFD');
    expect(wellFormed('😀 ok')).toBe('😀 ok');
    expect(wellFormed('😀'.slice(0, 1))).toBe('\uFFFD');
  });

  it('stores label values, const labels, help and info labels well-formed: one series per spelling, valid UTF-8 in every format', async () => {
    const registry = new Registry();
    const cut = '😀'.slice(0, 1);
    const c = new Counter('cut_total', `help ${cut}`, {
      registry,
      labelNames: ['ua'] as const,
      constLabels: { app: `x${cut}` },
    });
    c.inc({ ua: `a${cut}b` });
    c.inc({ ua: 'a\uFFFDb' });
    new Info('build', 'B.', { registry }).set({ version: `1${cut}` });
    expect(c.getAll()).toEqual([{ labels: { app: 'x\uFFFD', ua: 'a\uFFFDb' }, value: 2 }]);
    const families = await registry.collect();
    const decoded = decodeProtobuf(encodeProtobuf(families));
    expect(decoded[0]?.help).toBe('help \uFFFD');
    expect(decoded[0]?.metrics[0]?.labels).toEqual({ app: 'x\uFFFD', ua: 'a\uFFFDb' });
    expect(decoded[1]?.metrics[0]?.labels).toEqual({ version: '1\uFFFD' });
    const text = encodeText(families);
    expect(text).not.toMatch(/[\uD800-\uDFFF]/);
    expect(encodeOpenMetrics(families)).not.toMatch(/[\uD800-\uDFFF]/);
    expect(await promtoolCheck(text)).toEqual({ code: 0, output: '' });
  });

  it('keeps a leading U+FEFF through a protobuf round trip', () => {
    const body = encodeProtobuf([
      {
        name: 'g',
        help: '\uFEFFhelp',
        type: 'gauge',
        points: [{ labels: { a: '\uFEFFx' }, value: 1 }],
      },
    ]);
    const [family] = decodeProtobuf(body);
    expect(family?.help).toBe('\uFEFFhelp');
    expect(family?.metrics[0]?.labels).toEqual({ a: '\uFEFFx' });
  });

  it('writes an info named x_info_info as family x_info with sample x_info_info', () => {
    const registry = new Registry();
    new Info('x_info_info', 'X.', { registry }).set({ v: '1' });
    return registry.collect().then((families) => {
      const page = encodeOpenMetrics(families);
      expect(page).toContain('# TYPE x_info info\n');
      expect(page).toContain('x_info_info{v="1"} 1\n');
      expect(decodeProtobuf(encodeProtobuf(families))[0]?.name).toBe('x_info_info');
    });
  });
});
