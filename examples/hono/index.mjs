// Serves the example app on Node: pnpm start (PORT, HOST).
import { serve } from '@hono/node-server';
import { app } from './app.mjs';

const hostname = process.env.HOST ?? '127.0.0.1';
const server = serve(
  { fetch: app.fetch, hostname, port: Number(process.env.PORT ?? 3000) },
  ({ port }) => {
    console.log(
      `Hono example on http://${hostname}:${port}  (try /users/1, /api/v1/items/7, /ticks, /boom)`,
    );
    console.log(`Metrics: http://${hostname}:${port}/metrics`);
  },
);

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    server.closeAllConnections?.();
    server.close(() => process.exit(0));
  });
}
