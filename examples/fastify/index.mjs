// Runs the example app: pnpm start (PORT, HOST from the environment).
import { createApp } from './app.mjs';

const host = process.env.HOST ?? '127.0.0.1';
const port = Number(process.env.PORT ?? 3000);
const app = await createApp();
await app.listen({ host, port });
const { port: bound } = app.server.address();
console.log(`Fastify example on http://${host}:${bound}  (try /users/1, /api/v1/items/7, /boom)`);
console.log(`Metrics: http://${host}:${bound}/metrics`);

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, async () => {
    await app.close();
    process.exit(0);
  });
}
