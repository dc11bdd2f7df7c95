import type { Context } from 'hono';
import { matchedRoutes } from 'hono/route';

/**
 * The template of the route that handled (or was about to handle) the request, prefixes
 * of `app.route()` included, or `undefined` when only middleware matched (a 404). The
 * first handler at or after the current route index is the one that answered, or the
 * one a middleware answered for; `use()` middleware (method `ALL`, taking `next`) is
 * skipped.
 */
export function routeTemplate(c: Context): string | undefined {
  const routes = matchedRoutes(c);
  for (let i = c.req.routeIndex; i < routes.length; i++) {
    const route = routes[i]!;
    if (route.method !== 'ALL' || route.handler.length < 2) return route.path;
  }
  return undefined;
}
