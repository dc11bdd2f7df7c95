import { describe, expect, it } from 'vitest';
import { escapeName, parseEscaping, quoteName } from '../src/exposition/name-escaping';

// prometheus/common model/metric_test.go TestEscapeName (input, underscores, dots, values),
// plus the examples of prometheus/docs escaping_schemes.md.
const table: [input: string, underscores: string, dots: string, values: string][] = [
  ['', '', '', ''],
  ['no:escaping_required', 'no:escaping_required', 'no:escaping__required', 'no:escaping_required'],
  [
    'mysystem.prod.west.cpu.load',
    'mysystem_prod_west_cpu_load',
    'mysystem_dot_prod_dot_west_dot_cpu_dot_load',
    'U__mysystem_2e_prod_2e_west_2e_cpu_2e_load',
  ],
  [
    'mysystem.prod.west.cpu.load_total',
    'mysystem_prod_west_cpu_load_total',
    'mysystem_dot_prod_dot_west_dot_cpu_dot_load__total',
    'U__mysystem_2e_prod_2e_west_2e_cpu_2e_load__total',
  ],
  ['http.status:sum', 'http_status:sum', 'http_dot_status:sum', 'U__http_2e_status:sum'],
  ['label with 😱', 'label_with__', 'label__with____', 'U__label_20_with_20__1f631_'],
  ['花火', '__', '____', 'U___82b1__706b_'],
  ['label with \u0100', 'label_with__', 'label__with____', 'U__label_20_with_20__100_'],
  // escaping_schemes.md
  [
    'metric.name/with/slashes',
    'metric_name_with_slashes',
    'metric_dot_name__with__slashes',
    'U__metric_2e_name_2f_with_2f_slashes',
  ],
  [
    'metric.name.with.dots',
    'metric_name_with_dots',
    'metric_dot_name_dot_with_dot_dots',
    'U__metric_2e_name_2e_with_2e_dots',
  ],
  // A leading digit is outside the legacy set only in first position.
  ['1st.place', '_st_place', '__st_dot_place', 'U___31_st_2e_place'],
];

describe('escapeName (metric names)', () => {
  it.each(table)('%j', (input, underscores, dots, values) => {
    expect(escapeName(input, 'underscores')).toBe(underscores);
    expect(escapeName(input, 'dots')).toBe(dots);
    expect(escapeName(input, 'values')).toBe(values);
    expect(escapeName(input, 'allow-utf-8')).toBe(input);
  });

  it('escapes to names Prometheus 2 accepts', () => {
    for (const [input] of table.slice(1)) {
      for (const scheme of ['underscores', 'dots', 'values'] as const) {
        expect(escapeName(input, scheme)).toMatch(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/);
      }
    }
  });
});

describe('escapeName (label names)', () => {
  it('treats ":" as outside the label set, so the result is a valid label name', () => {
    expect(escapeName('http.status:code', 'underscores', true)).toBe('http_status_code');
    expect(escapeName('a:b', 'values', true)).toBe('U__a_3a_b');
    expect(escapeName('http.request.method', 'underscores', true)).toBe('http_request_method');
    expect(escapeName('plain_label', 'underscores', true)).toBe('plain_label');
    expect(escapeName('plain_label', 'dots', true)).toBe('plain__label');
  });
});

describe('parseEscaping', () => {
  it.each([
    ['allow-utf-8', 'allow-utf-8'],
    ['allow-utf8', 'allow-utf-8'],
    ['ALLOW-UTF-8', 'allow-utf-8'],
    ['underscores', 'underscores'],
    ['dots', 'dots'],
    ['values', 'values'],
    ['utf8', undefined],
    ['', undefined],
    [undefined, undefined],
  ])('%j → %j', (value, scheme) => {
    expect(parseEscaping(value)).toBe(scheme);
  });
});

describe('quoteName', () => {
  it('escapes backslash, double quote and newline inside the quotes', () => {
    expect(quoteName('http.server.duration')).toBe('"http.server.duration"');
    expect(quoteName('a\\b"c\nd')).toBe('"a\\\\b\\"c\\nd"');
  });
});
