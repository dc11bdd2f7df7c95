import type { Registry } from '@promkit/core';
import { describeHttpConformance } from '@promkit/testkit';
import { serveApp } from './test-app';

describeHttpConformance<Registry>('@promkit/hono on @hono/node-server', (options) =>
  serveApp(options, true),
);

describeHttpConformance<Registry>(
  '@promkit/hono, Web-standard path (body stream, AbortSignal)',
  (options) => serveApp(options, false),
);
