import Fastify from 'fastify';
import { announce, HELLO_BODY, HELLO_PATH, HOST, importOrSkip } from './server-kit.mjs';
import { tracedServerFactory } from './tracing.mjs';

const adapter = await importOrSkip('@promkit/fastify');
const plugin = adapter.fastifyMetrics ?? adapter.default;
const app = Fastify({ serverFactory: tracedServerFactory });
await app.register(plugin);
app.get(HELLO_PATH, async () => HELLO_BODY);
await app.listen({ port: 0, host: HOST });
announce(app.server);
