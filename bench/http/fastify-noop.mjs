import Fastify from 'fastify';
import { announce, HELLO_BODY, HELLO_PATH, HOST } from './server-kit.mjs';

// The floor of any instrumentation: one onRequest hook that only calls done() (not a
// default variant).
const app = Fastify();
app.addHook('onRequest', (_request, _reply, done) => done());
app.get(HELLO_PATH, async () => HELLO_BODY);
await app.listen({ port: 0, host: HOST });
announce(app.server);
