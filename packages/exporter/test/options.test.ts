import { ConfigError } from '@promkit/core';
import { describe, expect, it } from 'vitest';
import { OptionError } from '../src/errors';
import {
  checkOptionSpecs,
  type ExporterOption,
  envPrefixFromName,
  envVarName,
  optionKey,
  parseOptionValue,
} from '../src/options/option-spec';
import { type OptionInputs, resolveArgs } from '../src/options/resolve-args';

describe('names', () => {
  it('derives env var names, arg keys and prefixes', () => {
    expect(envVarName('MYEXP', 'metrics-path')).toBe('MYEXP_METRICS_PATH');
    expect(envVarName('MYEXP', 'ssl-ca')).toBe('MYEXP_SSL_CA');
    expect(optionKey('ssl-private-key')).toBe('sslPrivateKey');
    expect(optionKey('port')).toBe('port');
    expect(envPrefixFromName('my-exporter')).toBe('MY_EXPORTER');
    expect(envPrefixFromName('@acme/redis exporter 2')).toBe('ACME_REDIS_EXPORTER_2');
  });
});

describe('parseOptionValue', () => {
  const table: Array<[ExporterOption, string, unknown]> = [
    [{ name: 'n', description: '', type: 'integer' }, ' 42 ', 42],
    [{ name: 'n', description: '', type: 'integer' }, '4.2', 'expected an integer'],
    [{ name: 'n', description: '', type: 'integer', min: 0, max: 10 }, '11', 'must be ≤ 10'],
    [{ name: 'n', description: '', type: 'integer', min: 0 }, '-1', 'must be ≥ 0'],
    [{ name: 'n', description: '', type: 'number' }, '0.25', 0.25],
    [{ name: 'n', description: '', type: 'number' }, '1e3', 1000],
    [{ name: 'n', description: '', type: 'number' }, '', 'expected a number'],
    [{ name: 'n', description: '', type: 'number' }, '0x10', 'expected a number'],
    [{ name: 'b', description: '', type: 'boolean' }, 'YES', true],
    [{ name: 'b', description: '', type: 'boolean' }, '0', false],
    [
      { name: 'b', description: '', type: 'boolean' },
      'nah',
      'expected one of true, false, 1, 0, yes, no, on, off',
    ],
    [{ name: 'l', description: '', type: 'list' }, 'a, b  c,,d', ['a', 'b', 'c', 'd']],
    [{ name: 'l', description: '', type: 'list' }, ' , ', 'expected at least one value'],
    [
      { name: 'l', description: '', type: 'list', choices: ['x', 'y'] },
      'X,z',
      'expected one of x, y',
    ],
    [{ name: 's', description: '' }, ' keep spaces ', ' keep spaces '],
    [{ name: 's', description: '', choices: ['Plain', 'json'] }, 'plain', 'Plain'],
  ];
  for (const [option, raw, expected] of table) {
    it(`${option.type ?? 'string'} ${JSON.stringify(raw)}`, () => {
      const parsed = parseOptionValue(option, raw);
      if (
        typeof expected === 'string' &&
        (expected.startsWith('expected') || expected.startsWith('must'))
      ) {
        expect(parsed).toEqual({ problem: expected });
      } else {
        expect(parsed).toEqual({ value: expected });
      }
    });
  }
});

describe('resolveArgs', () => {
  const options: ExporterOption[] = [
    { name: 'port', type: 'integer', default: 9090, description: '' },
    { name: 'host', type: 'list', default: ['localhost'], description: '' },
    { name: 'verbose', type: 'boolean', default: false, description: '' },
    { name: 'dsn', description: '' },
  ];
  const inputs = (partial: Partial<OptionInputs>): OptionInputs => ({
    prefix: 'X',
    commandLine: {},
    env: {},
    dotenv: {},
    dotenvPath: '/app/.env',
    ...partial,
  });

  it('takes each option from the highest source that sets it', () => {
    const { values, sources } = resolveArgs(
      options,
      inputs({
        commandLine: { port: '1' },
        env: { X_PORT: '2', X_HOST: 'a b', X_DSN: '' },
        dotenv: { X_PORT: '3', X_HOST: 'c', X_DSN: 'postgres://db', X_VERBOSE: 'true' },
      }),
    );
    expect(values).toEqual({ port: 1, host: ['a', 'b'], verbose: true, dsn: 'postgres://db' });
    expect(sources).toEqual({
      port: 'command line',
      host: 'env',
      verbose: 'dotenv',
      dsn: 'dotenv',
    });
  });

  it('joins repeated command-line list values and splits each', () => {
    const { values } = resolveArgs(
      options,
      inputs({ commandLine: { host: ['a', 'b,c'] }, env: { X_HOST: 'z' } }),
    );
    expect(values.host).toEqual(['a', 'b', 'c']);
  });

  it('leaves an option without default undefined', () => {
    const { values, sources } = resolveArgs(options, inputs({}));
    expect(values.dsn).toBeUndefined();
    expect(sources.dsn).toBe('default');
  });

  it('says where a bad value came from', () => {
    expect(() => resolveArgs(options, inputs({ dotenv: { X_PORT: 'x' } }))).toThrow(
      new OptionError('invalid value "x" for --port from X_PORT in /app/.env: expected an integer'),
    );
    expect(() => resolveArgs(options, inputs({ env: { X_VERBOSE: 'x' } }))).toThrow(OptionError);
  });
});

describe('checkOptionSpecs', () => {
  const bad: Array<[ExporterOption[], string]> = [
    [
      [{ name: 'sampleInterval', description: '' }],
      'option "sampleInterval": the name must be kebab-case',
    ],
    [[{ name: 'help', description: '' }], 'option "help": the name is already taken'],
    [
      [
        { name: 'a', description: '' },
        { name: 'a', description: '' },
      ],
      'option "a": the name is already taken',
    ],
    [[{ name: 'a', short: 'h', description: '' }], 'option "a": -h is already taken'],
    [
      [{ name: 'a', short: 'ab', description: '' }],
      'option "a": short must be one letter, got "ab"',
    ],
    [
      [{ name: 'a', type: 'integer', default: 1.5, description: '' }],
      'option "a": default 1.5 is not a valid integer',
    ],
    [
      [{ name: 'a', type: 'list', default: 'x', description: '' }],
      'option "a": default "x" is not a valid list',
    ],
    [
      [{ name: 'a', type: 'float' as 'number', description: '' }],
      'option "a": invalid type "float", must be one of string, integer, number, boolean, list',
    ],
  ];
  for (const [list, message] of bad) {
    it(message, () => {
      expect(() => checkOptionSpecs(list)).toThrow(ConfigError);
      expect(() => checkOptionSpecs(list)).toThrow(message);
    });
  }
});
