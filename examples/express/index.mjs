// A small Express 5 app instrumented with @promkit/express: pnpm start (PORT, HOST).
import { metricsHandler, metricsMiddleware } from '@promkit/express';
import express from 'express';

const users = new Map([
  ['1', { id: '1', name: 'Ada' }],
  ['2', { id: '2', name: 'Grace' }],
]);

const app = express();
const metrics = metricsMiddleware();
app.use(metrics); // first, so every request is measured

app.get('/', (_req, res) => {
  res.json({ routes: ['/users/:id', '/api/v1/items/:id', '/boom', '/slow', '/metrics'] });
});
app.get('/users/:id', (req, res) => {
  const user = users.get(req.params.id);
  if (user === undefined) res.status(404).json({ error: 'no such user' });
  else res.json(user);
});
// Nested routers: the path label is the full template, /api/v1/items/:id.
const v1 = express.Router();
v1.get('/items/:id', (req, res) => {
  res.json({ id: req.params.id, price: 9.99 });
});
const api = express.Router();
api.use('/v1', v1);
app.use('/api', api);
app.get('/boom', () => {
  throw new Error('boom: this route always fails');
});
app.get('/slow', async (_req, res) => {
  await new Promise((resolve) => setTimeout(resolve, 150 + Math.random() * 250));
  res.json({ slow: true });
});
app.get('/metrics', metricsHandler());

// After the routes, before your own error handlers: counts exceptions, then next(err).
app.use(metrics.errorHandler);
app.use((error, _req, res, _next) => {
  res.status(500).json({ error: error.message });
});

const host = process.env.HOST ?? '127.0.0.1';
const server = app.listen(Number(process.env.PORT ?? 3000), host, () => {
  const { port } = server.address();
  console.log(`Express example on http://${host}:${port}  (try /users/1, /api/v1/items/7, /boom)`);
  console.log(`Metrics: http://${host}:${port}/metrics`);
});

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  });
}
