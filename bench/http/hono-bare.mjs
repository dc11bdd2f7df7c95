import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { announce, HELLO_BODY, HELLO_PATH, HOST } from './server-kit.mjs';

const app = new Hono();
app.get(HELLO_PATH, (c) => c.text(HELLO_BODY));
const server = serve({ fetch: app.fetch, port: 0, hostname: HOST }, () => announce(server));
