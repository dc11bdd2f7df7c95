import express from 'express';
import { announce, HELLO_BODY, HELLO_PATH, HOST, importOrSkip } from './server-kit.mjs';

const { metricsHandler, metricsMiddleware } = await importOrSkip('@promkit/express');
const app = express();
app.use(metricsMiddleware());
app.get('/metrics', metricsHandler());
app.get(HELLO_PATH, (_req, res) => {
  res.send(HELLO_BODY);
});
const server = app.listen(0, HOST, () => announce(server));
