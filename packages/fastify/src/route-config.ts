import type { FastifyRequest } from 'fastify';

/** What the plugin reads of a route's config: its template and the opt-out. */
export interface RouteConfigLike {
  readonly url?: string;
  readonly disableMetrics?: boolean;
}

/** What Fastify keeps under its route-context symbol: the context its `routeOptions` reads. */
interface RouteContextLike {
  readonly config?: RouteConfigLike;
}

/** The description of Fastify's (5.x) route-context symbol on every request. */
const CONTEXT_DESCRIPTION = 'fastify.context';

/**
 * Returns a reader of the matched route's config (`url` is its template). The public
 * `request.routeOptions` is a getter that builds a dozen-field object on every call
 * (~630 instructions per request); the route context it reads is on the request under a
 * symbol, found on the first request whose route has a config, and used only once its
 * config is the very object `routeOptions.config` gives. Until then, when not found (a
 * Fastify that changed it) or on a request without it, `routeOptions` is read. One
 * reader per plugin registration, so two Fastify copies in one process never share it.
 */
export function routeConfigReader(): (request: FastifyRequest) => RouteConfigLike | undefined {
  /** `undefined` while not yet searched, `null` when not usable. */
  let key: symbol | null | undefined;
  return function routeConfigOf(request) {
    if (key === undefined) key = findContextKey(request);
    const found = key;
    if (found !== null && found !== undefined) {
      const context = (request as unknown as Record<symbol, RouteContextLike | undefined>)[found];
      if (typeof context === 'object' && context !== null) return context.config;
    }
    return request.routeOptions.config as RouteConfigLike | undefined;
  };
}

/** The route-context symbol, `null` when Fastify has none that matches, `undefined` to retry. */
function findContextKey(request: FastifyRequest): symbol | null | undefined {
  const config = request.routeOptions.config as unknown;
  if (typeof config !== 'object' || config === null) return undefined;
  for (const symbol of Object.getOwnPropertySymbols(request)) {
    if (symbol.description !== CONTEXT_DESCRIPTION) continue;
    const context = (request as unknown as Record<symbol, unknown>)[symbol];
    if (typeof context !== 'object' || context === null) return null;
    return (context as RouteContextLike).config === config ? symbol : null;
  }
  return null;
}
