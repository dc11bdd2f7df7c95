import type { Context } from 'hono';
import { matchedRoutes } from 'hono/route';

/** What `matchedRoutes` gives for each handler the request matched. */
interface MatchedRoute {
  readonly path: string;
  readonly method: string;
  readonly handler: { readonly length: number };
}

/**
 * What Hono's routers return for each matched handler: `[[handler, route], params]`
 * (`matchedRoutes` itself is `result[0].map(([[, route]]) => route)`).
 */
type MatchedEntry = readonly [readonly [unknown, MatchedRoute], unknown];

/** The match-result key that answered last; tried first on every request. */
let lastKey: symbol | undefined;
/** The key found on each request prototype seen (`null`: none). */
const keys = new WeakMap<object, symbol | null>();

/**
 * The template of the route that handled (or was about to handle) the request, prefixes
 * of `app.route()` included, or `undefined` when only middleware matched (a 404). The
 * first handler at or after the current route index is the one that answered, or the
 * one a middleware answered for; `use()` middleware (method `ALL`, taking `next`) is
 * skipped.
 */
export function routeTemplate(c: Context): string | undefined {
  const req = c.req;
  const entries = matchedEntries(req);
  if (entries === undefined) return fromMatchedRoutes(c);
  for (let i = req.routeIndex; i < entries.length; i++) {
    const route = entries[i]![0][1];
    if (answers(route)) return route.path;
  }
  return undefined;
}

/** Whether the route answers requests: a handler, not `use()` middleware passing them on. */
function answers(route: MatchedRoute): boolean {
  return route.method !== 'ALL' || route.handler.length < 2;
}

/**
 * The request's match result read directly: `matchedRoutes` maps it to a new array on
 * every call (~0.3 k instructions a request). Hono keeps it behind a getter keyed by a
 * symbol it does not export, so the key is found once per request prototype, among the
 * prototype's getters under unnamed (or match-named) symbols, as the one whose value has
 * the match result's shape.
 * `undefined` when there is none: `matchedRoutes` is used instead.
 */
function matchedEntries(req: Context['req']): readonly MatchedEntry[] | undefined {
  const key = lastKey;
  // A request of another Hono copy has no property under this copy's key.
  if (key !== undefined) {
    const entries = matchResult(req, key)?.[0];
    if (entries !== undefined) return entries as readonly MatchedEntry[];
  }
  return matchedEntriesOfNewKind(req);
}

/** `matchedEntries` for a request the last key does not read (its prototype looked up). */
function matchedEntriesOfNewKind(req: Context['req']): readonly MatchedEntry[] | undefined {
  const prototype = Object.getPrototypeOf(req) as object;
  let key = keys.get(prototype);
  if (key === undefined) {
    key = findMatchKey(prototype, req);
    // Not decided on a request that matched nothing: the next request looks again.
    if (key === undefined) return undefined;
    keys.set(prototype, key);
  }
  if (key === null) return undefined;
  lastKey = key;
  return matchResult(req, key)?.[0] as readonly MatchedEntry[] | undefined;
}

function matchResult(req: Context['req'], key: symbol): readonly unknown[] | undefined {
  return (req as unknown as Record<symbol, readonly unknown[] | undefined>)[key];
}

/**
 * Hono's key is `Symbol()`; a later one may be named for what it holds. Only getters under
 * such keys are called to see what they return: any other getter is none of our business
 * (it could do work, or have effects, on the request).
 */
const MATCH_KEY_DESCRIPTION = /match/i;

/**
 * The symbol of the prototype's getter returning the match result, `null` when there is
 * none, `undefined` when `req` matched no handler (an empty result tells nothing).
 */
function findMatchKey(prototype: object, req: Context['req']): symbol | null | undefined {
  let found: symbol | null = null;
  for (const symbol of Object.getOwnPropertySymbols(prototype)) {
    const description = symbol.description;
    if (description !== undefined && !MATCH_KEY_DESCRIPTION.test(description)) continue;
    if (typeof Object.getOwnPropertyDescriptor(prototype, symbol)?.get !== 'function') continue;
    let result: unknown;
    try {
      result = (req as unknown as Record<symbol, unknown>)[symbol];
    } catch {
      // Not the match result's getter, which only returns a field.
      continue;
    }
    if (!Array.isArray(result)) continue;
    if (Array.isArray(result[0]) && result[0].length === 0) return undefined;
    if (!isMatchedEntries(result[0])) continue;
    // Two getters of that shape: neither is trusted.
    if (found !== null) return null;
    found = symbol;
  }
  return found;
}

/** Whether `entries` has the shape `matchedRoutes` reads: `[[handler, route], params]`. */
function isMatchedEntries(entries: unknown): entries is readonly MatchedEntry[] {
  if (!Array.isArray(entries)) return false;
  for (const entry of entries as unknown[]) {
    const pair: unknown = Array.isArray(entry) ? entry[0] : undefined;
    if (!Array.isArray(pair)) return false;
    const route = pair[1] as Partial<MatchedRoute> | undefined;
    if (typeof route !== 'object' || route === null) return false;
    if (typeof route.path !== 'string' || typeof route.method !== 'string') return false;
    if (route.handler !== pair[0] || typeof pair[0] !== 'function') return false;
  }
  return true;
}

/** `routeTemplate` through Hono's public helper. */
function fromMatchedRoutes(c: Context): string | undefined {
  const routes = matchedRoutes(c);
  for (let i = c.req.routeIndex; i < routes.length; i++) {
    const route = routes[i]!;
    if (answers(route)) return route.path;
  }
  return undefined;
}
