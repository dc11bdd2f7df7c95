import Fastify from 'fastify';
import metricsPlugin from 'fastify-metrics';
import { announce, HELLO_BODY, HELLO_PATH, HOST } from './server-kit.mjs';

const app = Fastify();
// Route metrics as shipped (histogram + summary); prom-client's process metrics off, as
// promkit's adapter records none.
await app.register(metricsPlugin, { endpoint: '/metrics', defaultMetrics: { enabled: false } });
app.get(HELLO_PATH, async () => HELLO_BODY);
await app.listen({ port: 0, host: HOST });
announce(app.server);
