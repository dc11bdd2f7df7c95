import express from 'express';
import { announce, HELLO_BODY, HELLO_PATH, HOST } from './server-kit.mjs';

// The floor of any middleware: one that only calls next() (not a default variant).
const app = express();
app.use((_req, _res, next) => next());
app.get(HELLO_PATH, (_req, res) => {
  res.send(HELLO_BODY);
});
const server = app.listen(0, HOST, () => announce(server));
