// A strict parser for the two text formats, written from the specs rather than from our
// encoders, so tests can decode a page back into names, labels and values. It accepts
// less than Prometheus does: anything our writers should never produce (blank lines,
// stray comments, unknown escapes, spaces inside braces, hex floats) is an error.
/** A body that is not valid in the format it claims. */
class DecodeError extends Error {}

export type TextFormat = 'text' | 'openmetrics';

export interface ParsedExemplar {
  readonly labels: Record<string, string>;
  readonly value: number;
  readonly timestamp?: number;
}

export interface ParsedSample {
  /** The sample name as written (`x_total`, `x_bucket`, …). */
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly value: number;
  readonly timestamp?: number;
  readonly exemplar?: ParsedExemplar;
}

export interface ParsedFamily {
  readonly name: string;
  readonly type: string;
  readonly help?: string;
  readonly unit?: string;
  readonly samples: ParsedSample[];
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const INTEGER = /^-?\d+$/;

const TEXT_TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);
const OM_TYPES = new Set([
  'counter',
  'gauge',
  'histogram',
  'gaugehistogram',
  'stateset',
  'info',
  'summary',
  'unknown',
]);

/** Sample-name suffixes each type allows, per format (`''` is the family name itself). */
const TEXT_SUFFIXES: Record<string, readonly string[]> = {
  counter: [''],
  gauge: [''],
  untyped: [''],
  histogram: ['_bucket', '_sum', '_count'],
  summary: ['', '_sum', '_count'],
};
const OM_SUFFIXES: Record<string, readonly string[]> = {
  counter: ['_total', '_created'],
  gauge: [''],
  unknown: [''],
  stateset: [''],
  info: ['_info'],
  histogram: ['_bucket', '_sum', '_count', '_created'],
  gaugehistogram: ['_bucket', '_gsum', '_gcount'],
  summary: ['', '_sum', '_count', '_created'],
};
/** OpenMetrics allows exemplars only on these samples. */
const OM_EXEMPLAR_SUFFIXES: Record<string, string> = { counter: '_total', histogram: '_bucket' };
/** "The combined length of the label names and values of an Exemplar's LabelSet MUST NOT exceed 128 UTF-8 character code points." */
const MAX_EXEMPLAR_RUNES = 128;

// ignoreBOM: a page is decoded as sent; a U+FEFF is content, never stripped.
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Decodes the UTF-8 bytes a server would send, failing on invalid UTF-8, then parses.
 *
 * @example
 * const families = parseExpositionBytes(new TextEncoder().encode(page), 'text');
 */
export function parseExpositionBytes(bytes: Uint8Array, format: TextFormat): ParsedFamily[] {
  let page: string;
  try {
    page = UTF8.decode(bytes);
  } catch (cause) {
    throw new DecodeError(`${format} exposition is not valid UTF-8`, { cause });
  }
  return parseExposition(page, format);
}

/**
 * Parses a whole text 0.0.4 or OpenMetrics 1.0 page and checks its structure: metadata
 * before samples, each family once, samples contiguous and named as their type allows,
 * no duplicate series, histograms cumulative with `+Inf` equal to `_count`.
 *
 * @example
 * const [family] = parseExposition('# TYPE up gauge\nup 1\n', 'text');
 */
export function parseExposition(page: string, format: TextFormat): ParsedFamily[] {
  return new PageParser(page, format).parse();
}

interface OpenFamily {
  name: string;
  type: string | undefined;
  help: string | undefined;
  unit: string | undefined;
  samples: ParsedSample[];
  seenSample: boolean;
  seriesKeys: Set<string>;
}

class PageParser {
  private readonly om: boolean;
  private readonly families: OpenFamily[] = [];
  private readonly familyNames = new Set<string>();
  private current: OpenFamily | undefined;
  private lineNo = 0;

  constructor(
    private readonly page: string,
    private readonly format: TextFormat,
  ) {
    this.om = format === 'openmetrics';
  }

  parse(): ParsedFamily[] {
    const page = this.page;
    if (this.om) {
      if (!page.endsWith('# EOF\n')) this.fail('the page does not end with "# EOF\\n"');
    } else if (page !== '' && !page.endsWith('\n')) {
      this.fail('the page does not end with a newline');
    }
    const lines = page.split('\n');
    lines.pop(); // after the final newline
    for (let i = 0; i < lines.length; i++) {
      this.lineNo = i + 1;
      const line = lines[i]!;
      if (this.om && line === '# EOF') {
        if (i !== lines.length - 1) this.fail('content after "# EOF"');
        break;
      }
      if (line === '') this.fail('blank line');
      if (line.startsWith('#')) this.metadata(line);
      else this.sample(line);
    }
    for (const family of this.families) this.checkFamily(family);
    return this.families.map((f) => ({
      name: f.name,
      type: f.type ?? (this.om ? 'unknown' : 'untyped'),
      ...(f.help === undefined ? {} : { help: f.help }),
      ...(f.unit === undefined ? {} : { unit: f.unit }),
      samples: f.samples,
    }));
  }

  private fail(what: string): never {
    throw new DecodeError(`Invalid ${this.format} exposition, line ${this.lineNo}: ${what}`);
  }

  private metadata(line: string): void {
    const match = /^# (HELP|TYPE|UNIT) ([^ ]+)(?: (.*))?$/s.exec(line);
    if (match === null) this.fail(`not a HELP, TYPE or UNIT line: ${JSON.stringify(line)}`);
    const [, keyword, name, rest] = match;
    if (!METRIC_NAME.test(name!)) this.fail(`invalid metric name ${JSON.stringify(name)}`);
    if (rest === undefined) this.fail(`${keyword} line without its value (a space is required)`);
    const family = this.familyFor(name!);
    if (family.seenSample) this.fail(`${keyword} of "${name}" after its samples`);
    switch (keyword) {
      case 'HELP':
        if (family.help !== undefined) this.fail(`second HELP for "${name}"`);
        family.help = this.unescape(rest, this.om ? 'om-help' : 'text-help');
        break;
      case 'TYPE': {
        if (family.type !== undefined) this.fail(`second TYPE for "${name}"`);
        const types = this.om ? OM_TYPES : TEXT_TYPES;
        if (!types.has(rest)) this.fail(`unknown type ${JSON.stringify(rest)}`);
        family.type = rest;
        break;
      }
      case 'UNIT':
        if (!this.om) this.fail('UNIT is OpenMetrics only');
        if (family.unit !== undefined) this.fail(`second UNIT for "${name}"`);
        if (rest !== '' && !name!.endsWith(`_${rest}`)) {
          this.fail(`unit "${rest}" is not the suffix of "${name}"`);
        }
        family.unit = rest;
        break;
    }
  }

  /** The family a metadata line names: the current one, or a new one. */
  private familyFor(name: string): OpenFamily {
    if (this.current?.name === name) return this.current;
    if (this.familyNames.has(name)) this.fail(`family "${name}" appears twice`);
    const family: OpenFamily = {
      name,
      type: undefined,
      help: undefined,
      unit: undefined,
      samples: [],
      seenSample: false,
      seriesKeys: new Set(),
    };
    this.familyNames.add(name);
    this.families.push(family);
    this.current = family;
    return family;
  }

  private sample(line: string): void {
    const nameEnd = firstOf(line, '{ ');
    const name = line.slice(0, nameEnd);
    if (!METRIC_NAME.test(name)) this.fail(`invalid sample name ${JSON.stringify(name)}`);
    let pos = nameEnd;
    let labels: Record<string, string> = {};
    if (line[pos] === '{') {
      const parsed = this.labelSet(line, pos);
      labels = parsed.labels;
      pos = parsed.end;
    }
    if (line[pos] !== ' ') this.fail(`expected a space before the value of "${name}"`);
    pos++;
    const family = this.owner(name);
    const exemplarAt = this.om ? line.indexOf(' # ', pos) : -1;
    const body = exemplarAt === -1 ? line.slice(pos) : line.slice(pos, exemplarAt);
    const parts = body.split(' ');
    if (parts.length > 2) this.fail(`too many fields after "${name}"`);
    const value = this.number(parts[0]!);
    let timestamp: number | undefined;
    if (parts.length === 2) {
      if (this.om) timestamp = this.number(parts[1]!);
      else if (INTEGER.test(parts[1]!)) timestamp = Number(parts[1]);
      else this.fail(`timestamp ${JSON.stringify(parts[1])} is not integer milliseconds`);
    }
    let exemplar: ParsedExemplar | undefined;
    if (exemplarAt !== -1) exemplar = this.exemplar(line, exemplarAt + 3, family, name);
    const key = `${name}\u0000${canonicalLabels(labels)}`;
    if (family.seriesKeys.has(key))
      this.fail(`duplicate sample ${name}{${canonicalLabels(labels)}}`);
    family.seriesKeys.add(key);
    family.seenSample = true;
    family.samples.push({
      name,
      labels,
      value,
      ...(timestamp === undefined ? {} : { timestamp }),
      ...(exemplar === undefined ? {} : { exemplar }),
    });
  }

  /** The family a sample belongs to: the current one, if its type allows that name. */
  private owner(sampleName: string): OpenFamily {
    const family = this.current;
    if (family !== undefined) {
      const type = family.type ?? (this.om ? 'unknown' : 'untyped');
      const suffixes = (this.om ? OM_SUFFIXES : TEXT_SUFFIXES)[type]!;
      for (const suffix of suffixes) if (sampleName === family.name + suffix) return family;
    }
    if (this.om) this.fail(`sample "${sampleName}" outside its family's metadata`);
    // Text 0.0.4 allows a sample without metadata: an untyped family of its own.
    return this.familyFor(sampleName);
  }

  private exemplar(
    line: string,
    start: number,
    family: OpenFamily,
    sampleName: string,
  ): ParsedExemplar {
    const allowed = OM_EXEMPLAR_SUFFIXES[family.type ?? ''];
    if (allowed === undefined || sampleName !== family.name + allowed) {
      this.fail(`exemplar on "${sampleName}", where OpenMetrics allows none`);
    }
    if (line[start] !== '{') this.fail('exemplar without a label set');
    const { labels, end } = this.labelSet(line, start);
    let runes = 0;
    for (const [n, v] of Object.entries(labels)) runes += [...n].length + [...v].length;
    if (runes > MAX_EXEMPLAR_RUNES) this.fail(`exemplar labels of ${runes} code points`);
    if (line[end] !== ' ') this.fail('exemplar without a value');
    const parts = line.slice(end + 1).split(' ');
    if (parts.length > 2) this.fail('too many exemplar fields');
    const value = this.number(parts[0]!);
    return parts.length === 2
      ? { labels, value, timestamp: this.number(parts[1]!) }
      : { labels, value };
  }

  /** `{a="x",b="y"}` starting at `start` (the brace); returns the labels and the index after `}`. */
  private labelSet(line: string, start: number): { labels: Record<string, string>; end: number } {
    const labels: Record<string, string> = {};
    let pos = start + 1;
    if (line[pos] === '}') return { labels, end: pos + 1 };
    for (;;) {
      const eq = line.indexOf('=', pos);
      if (eq === -1) this.fail('label without "="');
      const name = line.slice(pos, eq);
      if (!LABEL_NAME.test(name)) this.fail(`invalid label name ${JSON.stringify(name)}`);
      if (Object.hasOwn(labels, name)) this.fail(`label "${name}" twice`);
      if (line[eq + 1] !== '"') this.fail(`label "${name}" value is not quoted`);
      pos = eq + 2;
      let raw = '';
      for (;;) {
        if (pos >= line.length) this.fail(`unterminated value of label "${name}"`);
        const ch = line[pos]!;
        if (ch === '"') break;
        if (ch === '\\') {
          raw += line.slice(pos, pos + 2);
          pos += 2;
        } else {
          raw += ch;
          pos++;
        }
      }
      labels[name] = this.unescape(raw, 'label');
      pos++;
      if (line[pos] === '}') return { labels, end: pos + 1 };
      if (line[pos] !== ',') this.fail(`expected "," or "}" after label "${name}"`);
      pos++;
    }
  }

  private unescape(raw: string, kind: 'label' | 'text-help' | 'om-help'): string {
    if (kind === 'om-help' && /(^|[^\\])(\\\\)*"/.test(raw)) this.fail('unescaped " in HELP');
    let out = '';
    for (let i = 0; i < raw.length; i++) {
      const ch = raw[i]!;
      if (ch !== '\\') {
        out += ch;
        continue;
      }
      const next = raw[++i];
      if (next === '\\') out += '\\';
      else if (next === 'n') out += '\n';
      else if (next === '"' && kind !== 'text-help') out += '"';
      else this.fail(`invalid escape "\\${next ?? ''}" in ${kind}`);
    }
    return out;
  }

  private number(text: string): number {
    if (text === 'NaN') return Number.NaN;
    if (text === '+Inf') return Number.POSITIVE_INFINITY;
    if (text === '-Inf') return Number.NEGATIVE_INFINITY;
    if (!NUMBER.test(text)) this.fail(`invalid number ${JSON.stringify(text)}`);
    return Number(text);
  }

  /** Per-type rules that need the whole family. */
  private checkFamily(family: OpenFamily): void {
    const type = family.type;
    if (type === 'histogram') this.checkBuckets(family, '_bucket', 'le');
    if (type === 'summary') {
      for (const s of family.samples) {
        if (s.name !== family.name) continue;
        const q = Number(s.labels.quantile);
        if (s.labels.quantile === undefined || !(q >= 0 && q <= 1)) {
          this.fail(`summary "${family.name}" sample with quantile ${s.labels.quantile}`);
        }
      }
    }
    if (this.om && type === 'stateset') {
      for (const s of family.samples) {
        if (!(family.name in s.labels) || (s.value !== 0 && s.value !== 1)) {
          this.fail(`state set "${family.name}" sample is not a 0/1 state`);
        }
      }
    }
    if (this.om && type === 'info') {
      for (const s of family.samples) if (s.value !== 1) this.fail(`info "${family.name}" ≠ 1`);
    }
    if (this.om && type === 'counter') {
      for (const s of family.samples) {
        if (s.name.endsWith('_total') && (Number.isNaN(s.value) || s.value < 0)) {
          this.fail(`counter "${family.name}" total ${s.value}`);
        }
      }
    }
  }

  /** Buckets ascending by `le`, cumulative, ending at `+Inf`, which equals `_count`. */
  private checkBuckets(family: OpenFamily, suffix: string, boundLabel: string): void {
    const series = new Map<string, { les: number[]; counts: number[]; count?: number }>();
    const seriesOf = (labels: Record<string, string>) => {
      const key = canonicalLabels(withoutLabel(labels, boundLabel));
      let s = series.get(key);
      if (s === undefined) {
        s = { les: [], counts: [] };
        series.set(key, s);
      }
      return s;
    };
    for (const sample of family.samples) {
      if (sample.name === family.name + suffix) {
        const le = sample.labels[boundLabel];
        if (le === undefined) this.fail(`bucket of "${family.name}" without "${boundLabel}"`);
        const s = seriesOf(sample.labels);
        s.les.push(this.number(le));
        s.counts.push(sample.value);
      } else if (sample.name === `${family.name}_count`) {
        seriesOf(sample.labels).count = sample.value;
      }
    }
    for (const [key, s] of series) {
      const where = `histogram "${family.name}"{${key}}`;
      if (s.les.at(-1) !== Number.POSITIVE_INFINITY) this.fail(`${where} has no +Inf bucket`);
      for (let i = 1; i < s.les.length; i++) {
        if (!(s.les[i]! > s.les[i - 1]!)) this.fail(`${where} bounds not ascending`);
        if (!(s.counts[i]! >= s.counts[i - 1]!)) this.fail(`${where} counts not cumulative`);
      }
      if (s.count === undefined) this.fail(`${where} has no _count`);
      if (s.counts.at(-1) !== s.count) {
        this.fail(`${where} +Inf bucket ${s.counts.at(-1)} ≠ _count ${s.count}`);
      }
    }
  }
}

/** Index of the first of `chars` in `line`, or its length. */
function firstOf(line: string, chars: string): number {
  for (let i = 0; i < line.length; i++) if (chars.includes(line[i]!)) return i;
  return line.length;
}

function withoutLabel(labels: Record<string, string>, name: string): Record<string, string> {
  const copy = { ...labels };
  delete copy[name];
  return copy;
}

/** A label set as one comparable string, independent of label order. */
export function canonicalLabels(labels: Readonly<Record<string, string>>): string {
  return JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
