import { ConfigError } from '../errors';
import { MAX_MATCHED_PATH_LENGTH, type NormalizePath } from './http-options';

/** Told when a `normalizePath` function throws or returns something not a string. */
export type NormalizeFault = (error: unknown) => void;

/** Templates come from route definitions; past this many the cache stops growing. */
const MAX_CACHED_TEMPLATES = 10_000;
/** Exact excluded paths shorter than this are looked up by length and comparison. */
const SHORT_PATH = 64;
/** Past this many exact paths of one length, they are hashed instead of compared. */
const MAX_COMPARED = 8;
/** Cache marker for an excluded template. */
const EXCLUDED = null;

/**
 * Decides what becomes the `path` label: exclusion by raw path and by template, the
 * `normalizePath` rewrite and the unmatched label. User RegExps only ever see a path
 * (never headers or the query string), capped at `MAX_MATCHED_PATH_LENGTH`.
 */
export class PathRules {
  private readonly exact: ReadonlySet<string>;
  /**
   * The exact paths shorter than `SHORT_PATH` by length: most request paths are ruled out
   * by their length, the rest by comparing with a few strings, without hashing them.
   * A string when it is the only one of its length; `null`: too many paths of that length
   * to compare, look them up in `exact`.
   */
  private readonly shortExact: ReadonlyArray<string | readonly string[] | null | undefined>;
  private readonly patterns: readonly RegExp[];
  private readonly labels = new Map<string, string | typeof EXCLUDED>();
  /** The template last looked up in `labels` and its label (`undefined`: excluded). */
  private lastTemplate: string | undefined = undefined;
  private lastLabel: string | undefined = undefined;

  constructor(
    excludePaths: ReadonlyArray<string | RegExp>,
    private readonly normalize: NormalizePath | undefined,
    private readonly unmatched: string,
    private readonly onFault: NormalizeFault = () => {},
  ) {
    if (!Array.isArray(excludePaths)) {
      throw new ConfigError(
        'createHttpMetrics: excludePaths must be an array of strings and RegExps',
      );
    }
    const exact = new Set<string>();
    const patterns: RegExp[] = [];
    for (const entry of excludePaths) {
      if (typeof entry === 'string') exact.add(entry);
      else if (entry instanceof RegExp) patterns.push(withoutState(entry));
      else {
        throw new ConfigError(
          `createHttpMetrics: excludePaths entries must be strings or RegExps, got ${typeof entry}`,
        );
      }
    }
    this.exact = exact;
    const short: string[][] = [];
    for (const path of exact) {
      if (path.length >= SHORT_PATH) continue;
      short[path.length] ??= [];
      short[path.length]!.push(path);
    }
    this.shortExact = Array.from({ length: SHORT_PATH }, (_, n) => {
      const paths = short[n];
      if (paths === undefined) return undefined;
      // One path of a length (the usual case): compared without a call to `includes`.
      if (paths.length === 1) return paths[0];
      return paths.length > MAX_COMPARED ? null : paths;
    });
    this.patterns = patterns;
    if (Array.isArray(normalize)) {
      for (const rule of normalize) {
        if (!Array.isArray(rule) || !(rule[0] instanceof RegExp) || typeof rule[1] !== 'string') {
          throw new ConfigError(
            'createHttpMetrics: normalizePath rules must be [RegExp, replacement string] pairs',
          );
        }
      }
    } else if (normalize !== undefined && typeof normalize !== 'function') {
      throw new ConfigError(
        'createHttpMetrics: normalizePath must be a function or a list of rules',
      );
    }
  }

  /** Whether `path` (query string already removed) is excluded. */
  excludes(path: string): boolean {
    const candidates = path.length < SHORT_PATH ? this.shortExact[path.length] : null;
    if (typeof candidates === 'string') {
      if (candidates === path) return true;
    } else if (candidates === null ? this.exact.has(path) : candidates?.includes(path) === true) {
      return true;
    }
    return this.patterns.length !== 0 && this.matchesPattern(path);
  }

  /** Whether `path` matches an excluded RegExp (out of `excludes`, which inlines into `start`). */
  private matchesPattern(path: string): boolean {
    const patterns = this.patterns;
    const capped = cap(path);
    for (let i = 0; i < patterns.length; i++) if (patterns[i]!.test(capped)) return true;
    return false;
  }

  /** The `path` label of a matched route template, or `undefined` when it is excluded. */
  templateLabel(template: string): string | undefined {
    // Consecutive requests often share their route: compared, not looked up.
    if (template === this.lastTemplate) return this.lastLabel;
    const cached = this.labels.get(template);
    if (cached !== undefined) return this.remember(template, cached);
    let label: string | typeof EXCLUDED = EXCLUDED;
    const failuresBefore = this.failures;
    if (!this.excludes(template)) label = this.rewrite(template, true) ?? template;
    // A rewrite that failed is not cached: it is tried (and counted) again next time.
    if (this.failures !== failuresBefore || this.labels.size >= MAX_CACHED_TEMPLATES) {
      return label === EXCLUDED ? undefined : label;
    }
    this.labels.set(template, label);
    return this.remember(template, label);
  }

  /** Makes `template`'s cached label the one `templateLabel` answers without a lookup. */
  private remember(template: string, label: string | typeof EXCLUDED): string | undefined {
    const result = label === EXCLUDED ? undefined : label;
    this.lastTemplate = template;
    this.lastLabel = result;
    return result;
  }

  /** The `path` label of a request no route matched. */
  unmatchedLabel(rawPath: string): string {
    if (this.normalize === undefined) return this.unmatched;
    return this.rewrite(cap(rawPath), false) ?? this.unmatched;
  }

  /** Failed `normalizePath` calls so far. */
  private failures = 0;

  /**
   * The rewritten label, or `undefined` for the default. A function that throws or
   * returns a non-string is reported and gives the default: the template itself (a
   * bounded set), or the unmatched label for a raw path.
   */
  private rewrite(path: string, matched: boolean): string | undefined {
    const normalize = this.normalize;
    if (normalize === undefined) return undefined;
    if (typeof normalize === 'function') {
      let label: unknown;
      try {
        label = normalize(path, matched);
      } catch (error) {
        this.failures++;
        this.onFault(error);
        return undefined;
      }
      if (label === undefined || typeof label === 'string') return label;
      this.failures++;
      this.onFault(
        new TypeError(`normalizePath must return a string or undefined, got ${typeof label}`),
      );
      return undefined;
    }
    let result = path;
    let applied = false;
    for (const [pattern, replacement] of normalize) {
      if (result.search(pattern) === -1) continue;
      result = result.replace(pattern, replacement);
      applied = true;
    }
    return applied ? result : undefined;
  }
}

function cap(path: string): string {
  return path.length > MAX_MATCHED_PATH_LENGTH ? path.slice(0, MAX_MATCHED_PATH_LENGTH) : path;
}

/** A copy without `g`/`y`, whose `test()` would otherwise depend on the previous call. */
function withoutState(pattern: RegExp): RegExp {
  return pattern.global || pattern.sticky
    ? new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, ''))
    : pattern;
}
