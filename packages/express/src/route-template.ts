import type { Request } from 'express';

/** What the template lookup reads of Express' (and the `router` package's) internals. */
interface RouteLike {
  readonly path?: unknown;
}
interface LayerLike {
  readonly route?: RouteLike;
  readonly handle?: { readonly stack?: unknown };
  /** The mount pattern as given to `use()`; router ≥ 2.3 (Express 5) keeps it. */
  readonly rawPath?: unknown;
  /** Param names of the pattern: Express 4 objects, router < 2.3 strings. */
  readonly keys?: readonly unknown[];
}
interface AppLike {
  readonly _router?: { readonly stack?: unknown };
  readonly router?: { readonly stack?: unknown };
  readonly parent?: AppLike;
  readonly mountpath?: unknown;
}

/** Stands for a mount pattern with parameters that this Express version does not keep. */
const UNKNOWN_MOUNT = '*';
const MAX_DEPTH = 32;
/** Route object → full template; `null` when it must be rebuilt per request from `baseUrl`. */
const templates = new WeakMap<object, string | null>();

/**
 * The full route template of the request (`/api/v1/items/:id`), or `undefined` when no
 * route matched. Mount patterns of nested routers come from the router stack (found
 * once per route and cached), and sub-app mount paths from `app.mountpath`.
 */
export function routeTemplate(req: Request): string | undefined {
  const route = req.route as RouteLike | undefined;
  if (route === undefined || route === null) return undefined;
  let template = templates.get(route);
  if (template === undefined) {
    template = resolve(req.app as unknown as AppLike, route);
    templates.set(route, template);
  }
  if (template !== null) return template;
  // The mounts are parameter-free, so the matched prefix is the pattern itself.
  return join(req.baseUrl, routePath(route));
}

function resolve(app: AppLike, route: RouteLike): string | null {
  const stack = (app._router ?? app.router)?.stack;
  const chain = Array.isArray(stack) ? findChain(stack as LayerLike[], route, [], 0) : undefined;
  let prefix = appPrefix(app);
  if (chain === undefined) return join(prefix, routePath(route));
  for (const layer of chain) {
    if (typeof layer.rawPath === 'string') prefix = join(prefix, layer.rawPath);
    else if (layer.keys === undefined || layer.keys.length === 0) return null;
    else prefix = join(prefix, UNKNOWN_MOUNT);
  }
  return join(prefix, routePath(route));
}

/** The router layers mounted between the app and `route`, outermost first. */
function findChain(
  stack: readonly LayerLike[],
  route: RouteLike,
  chain: LayerLike[],
  depth: number,
): LayerLike[] | undefined {
  if (depth > MAX_DEPTH) return undefined;
  for (const layer of stack) {
    if (layer.route === route) return chain;
    const inner = layer.handle?.stack;
    if (layer.route === undefined && Array.isArray(inner)) {
      chain.push(layer);
      if (findChain(inner as LayerLike[], route, chain, depth + 1) !== undefined) return chain;
      chain.pop();
    }
  }
  return undefined;
}

/** Mount paths of the sub-apps between the top app and `app`. */
function appPrefix(app: AppLike): string {
  let prefix = '';
  for (
    let current: AppLike | undefined = app;
    current?.parent !== undefined;
    current = current.parent
  ) {
    const mount = typeof current.mountpath === 'string' ? current.mountpath : UNKNOWN_MOUNT;
    prefix = join(mount, prefix === '' ? '/' : prefix);
  }
  return prefix;
}

function routePath(route: RouteLike): string {
  return typeof route.path === 'string' ? route.path : String(route.path);
}

function join(prefix: string, path: string): string {
  if (prefix === '' || prefix === '/') return path;
  const base = prefix.endsWith('/') ? prefix.slice(0, -1) : prefix;
  if (path === '/' || path === '') return base;
  return path.startsWith('/') ? base + path : `${base}/${path}`;
}
