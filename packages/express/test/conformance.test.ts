import type { Registry } from '@promkit/core';
import { describeHttpConformance } from '@promkit/testkit';
import express from 'express';
import express4 from 'express4';
import { buildApp } from './test-app';

describeHttpConformance<Registry>('@promkit/express on Express 5', (options) =>
  buildApp(express, options),
);

describeHttpConformance<Registry>('@promkit/express on Express 4', (options) =>
  buildApp(express4 as unknown as typeof express, options),
);
