import { createRequire } from 'node:module';
import Router from '@koa/router';
import Koa from 'koa';
import { announce, HELLO_BODY, HELLO_PATH, HOST } from './server-kit.mjs';

// prometheus-api-metrics reads `module.parent.filename` at load: it must be required from CJS.
const apiMetrics = createRequire(import.meta.url)('prometheus-api-metrics');

const app = new Koa();
const router = new Router();
router.get(HELLO_PATH, (ctx) => {
  ctx.body = HELLO_BODY;
});
// prometheus-api-metrics serves /metrics itself and always collects prom-client's
// process metrics.
app.use(apiMetrics.koaMiddleware());
app.use(router.routes());
const server = app.listen(0, HOST, () => announce(server));
