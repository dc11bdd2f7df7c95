import Fastify from 'fastify';
import { announce, HELLO_BODY, HELLO_PATH, HOST } from './server-kit.mjs';
import { tracedServerFactory } from './tracing.mjs';

const app = Fastify({ serverFactory: tracedServerFactory });
app.get(HELLO_PATH, async () => HELLO_BODY);
await app.listen({ port: 0, host: HOST });
announce(app.server);
