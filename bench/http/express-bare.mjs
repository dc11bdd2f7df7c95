import express from 'express';
import { announce, HELLO_BODY, HELLO_PATH, HOST } from './server-kit.mjs';

const app = express();
app.get(HELLO_PATH, (_req, res) => {
  res.send(HELLO_BODY);
});
const server = app.listen(0, HOST, () => announce(server));
