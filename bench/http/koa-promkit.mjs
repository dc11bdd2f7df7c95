import Router from '@koa/router';
import Koa from 'koa';
import { announce, HELLO_BODY, HELLO_PATH, HOST, importOrSkip } from './server-kit.mjs';

const { metricsHandler, metricsMiddleware } = await importOrSkip('@promkit/koa');
const app = new Koa();
const router = new Router();
router.get('/metrics', metricsHandler());
router.get(HELLO_PATH, (ctx) => {
  ctx.body = HELLO_BODY;
});
app.use(metricsMiddleware());
app.use(router.routes());
const server = app.listen(0, HOST, () => announce(server));
