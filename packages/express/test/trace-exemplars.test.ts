import { createServer } from 'node:http';
import { Registry } from '@promkit/core';
import { describeTraceExemplars, served } from '@promkit/testkit';
import express from 'express';
import { metricsHandler, metricsMiddleware } from '../src/index';

describeTraceExemplars('@promkit/express', async (wrap) => {
  const registry = new Registry();
  const app = express();
  app.use(metricsMiddleware({ registry }));
  app.get('/users/:id', (req, res) => {
    res.send(`user ${req.params.id}`);
  });
  app.get('/metrics', metricsHandler({ registry }));
  const { baseUrl, close } = await served(createServer(wrap(app)).listen(0, '127.0.0.1'));
  return {
    baseUrl,
    close,
  };
});
