// A small Koa 3 + @koa/router app instrumented with @promkit/koa: pnpm start (PORT, HOST).
import Router from '@koa/router';
import { metricsHandler, metricsMiddleware } from '@promkit/koa';
import Koa from 'koa';

const users = new Map([
  ['1', { id: '1', name: 'Ada' }],
  ['2', { id: '2', name: 'Grace' }],
]);

const app = new Koa();
app.use(metricsMiddleware()); // before the router, so every request is measured

const router = new Router();
router.get('/', (ctx) => {
  ctx.body = { routes: ['/users/:id', '/api/v1/items/:id', '/boom', '/slow', '/metrics'] };
});
router.get('/users/:id', (ctx) => {
  const user = users.get(ctx.params.id);
  ctx.status = user === undefined ? 404 : 200;
  ctx.body = user ?? { error: 'no such user' };
});
router.get('/boom', () => {
  throw new Error('boom: this route always fails');
});
router.get('/slow', async (ctx) => {
  await new Promise((resolve) => setTimeout(resolve, 150 + Math.random() * 250));
  ctx.body = { slow: true };
});
router.get('/metrics', metricsHandler());

// Nested routers: the path label is the full template, /api/v1/items/:id.
const v1 = new Router();
v1.get('/items/:id', (ctx) => {
  ctx.body = { id: ctx.params.id, price: 9.99 };
});
const api = new Router({ prefix: '/api' });
api.use('/v1', v1.routes());

app.use(router.routes()).use(router.allowedMethods());
app.use(api.routes());
app.on('error', (error) => {
  if (error.status === undefined || error.status >= 500) console.error(`error: ${error.message}`);
});

const host = process.env.HOST ?? '127.0.0.1';
const server = app.listen(Number(process.env.PORT ?? 3000), host, () => {
  const { port } = server.address();
  console.log(`Koa example on http://${host}:${port}  (try /users/1, /api/v1/items/7, /boom)`);
  console.log(`Metrics: http://${host}:${port}/metrics`);
});

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  });
}
