import Router from '@koa/router';
import Koa from 'koa';
import { announce, HELLO_BODY, HELLO_PATH, HOST } from './server-kit.mjs';

// The floor of any middleware: one that only calls next() (not a default variant).
const app = new Koa();
const router = new Router();
router.get(HELLO_PATH, (ctx) => {
  ctx.body = HELLO_BODY;
});
app.use((_ctx, next) => next());
app.use(router.routes());
const server = app.listen(0, HOST, () => announce(server));
