import type { AddressInfo } from 'node:net';
import { metricsHandler } from '@promkit/express';
import express from 'express';

export const PROTOBUF_ACCEPT =
  'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited';

/** A real Express server serving promkit's `/metrics` (negotiated) on a loopback port. */
export async function startPromkitServer(): Promise<{ url: string; close(): Promise<void> }> {
  const app = express();
  app.get('/metrics', metricsHandler());
  const server = await new Promise<ReturnType<typeof app.listen>>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/metrics`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
