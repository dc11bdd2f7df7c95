// A small Hono app instrumented with @promkit/hono. Web-standard: this file runs on any
// runtime; index.mjs serves it on Node with @hono/node-server.
import { metricsHandler, metricsMiddleware } from '@promkit/hono';
import { Hono } from 'hono';
import { streamText } from 'hono/streaming';

const users = new Map([
  ['1', { id: '1', name: 'Ada' }],
  ['2', { id: '2', name: 'Grace' }],
]);

export const app = new Hono();
app.use(metricsMiddleware()); // first, so every request is measured

app.get('/', (c) =>
  c.json({ routes: ['/users/:id', '/api/v1/items/:id', '/boom', '/slow', '/ticks', '/metrics'] }),
);
app.get('/users/:id', (c) => {
  const user = users.get(c.req.param('id'));
  return user === undefined ? c.json({ error: 'no such user' }, 404) : c.json(user);
});
// A sub-app under a prefix: the path label is the full template, /api/v1/items/:id.
const v1 = new Hono();
v1.get('/items/:id', (c) => c.json({ id: c.req.param('id'), price: 9.99 }));
app.route('/api/v1', v1);
app.get('/boom', () => {
  throw new Error('boom: this route always fails');
});
app.get('/slow', async (c) => {
  await new Promise((resolve) => setTimeout(resolve, 150 + Math.random() * 250));
  return c.json({ slow: true });
});
// A streamed body: its duration runs to the last tick, not the first.
app.get('/ticks', (c) =>
  streamText(c, async (stream) => {
    for (let i = 0; i < 5; i++) {
      await stream.writeln(`tick ${i}`);
      await stream.sleep(100);
    }
  }),
);
app.get('/metrics', metricsHandler());
app.onError((error, c) => c.json({ error: error.message }, 500));
