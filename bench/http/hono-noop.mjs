import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { announce, HELLO_BODY, HELLO_PATH, HOST } from './server-kit.mjs';

// The floor of any middleware: one that only calls next() (not a default variant).
const app = new Hono();
app.use('*', (_c, next) => next());
app.get(HELLO_PATH, (c) => c.text(HELLO_BODY));
const server = serve({ fetch: app.fetch, port: 0, hostname: HOST }, () => announce(server));
