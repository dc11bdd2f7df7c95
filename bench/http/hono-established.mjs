import { serve } from '@hono/node-server';
import { prometheus } from '@hono/prometheus';
import { Hono } from 'hono';
import { announce, HELLO_BODY, HELLO_PATH, HOST } from './server-kit.mjs';

const app = new Hono();
const { printMetrics, registerMetrics } = prometheus();
app.use('*', registerMetrics);
app.get('/metrics', printMetrics);
app.get(HELLO_PATH, (c) => c.text(HELLO_BODY));
const server = serve({ fetch: app.fetch, port: 0, hostname: HOST }, () => announce(server));
