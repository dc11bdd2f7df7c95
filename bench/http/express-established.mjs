import express from 'express';
import promBundle from 'express-prom-bundle';
import { announce, HELLO_BODY, HELLO_PATH, HOST } from './server-kit.mjs';

const app = express();
// The same labels promkit records: method, path, status code; /metrics served by the bundle.
app.use(promBundle({ includeMethod: true, includePath: true, includeStatusCode: true }));
app.get(HELLO_PATH, (_req, res) => {
  res.send(HELLO_BODY);
});
const server = app.listen(0, HOST, () => announce(server));
