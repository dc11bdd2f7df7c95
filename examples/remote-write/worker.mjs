// A Cloudflare Worker: Hono with @promkit/hono, pushing at most every 30 s from within
// requests (ctx.waitUntil keeps the isolate alive until the push is sent).
import { metricsMiddleware } from '@promkit/hono';
import { RemoteWriter } from '@promkit/remote-write';
import { remoteWriteOnRequest } from '@promkit/remote-write/hono';
import { Hono } from 'hono';

const app = new Hono();
app.use(metricsMiddleware());

// Secrets and vars are known only inside a request: the writer is made on the first one.
// Each isolate gets its own instance label, so isolates never overwrite each other's counters.
let writer;
app.use(async (c, next) => {
  writer ??= new RemoteWriter({
    url: c.env.REMOTE_WRITE_URL,
    auth: { bearer: c.env.REMOTE_WRITE_TOKEN },
    intervalSeconds: 30,
    externalLabels: { job: 'example-worker', instance: crypto.randomUUID() },
  });
  return remoteWriteOnRequest(writer)(c, next);
});

app.get('/', (c) => c.text('hello from the edge'));
app.get('/users/:id', (c) => c.json({ id: c.req.param('id') }));

export default app;
