import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { announce, HELLO_BODY, HELLO_PATH, HOST, importOrSkip } from './server-kit.mjs';

const { metricsHandler, metricsMiddleware } = await importOrSkip('@promkit/hono');
const app = new Hono();
app.use('*', metricsMiddleware());
app.get('/metrics', metricsHandler());
app.get(HELLO_PATH, (c) => c.text(HELLO_BODY));
const server = serve({ fetch: app.fetch, port: 0, hostname: HOST }, () => announce(server));
