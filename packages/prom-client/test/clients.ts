import { createRequire } from 'node:module';
import * as promkit from '../src/index';

const require = createRequire(import.meta.url);

/** The real prom-client 15.1.3 (a devDependency): the oracle these tests compare against. */
export const real: any = require('prom-client');
/** This package. */
export const ours: any = promkit;

export const CLIENTS = [
  ['prom-client 15.1.3', real],
  ['@promkit/prom-client', ours],
] as const;

export const CONTENT_TYPES = [
  ['Prometheus text', 'text/plain; version=0.0.4; charset=utf-8'],
  ['OpenMetrics', 'application/openmetrics-text; version=1.0.0; charset=utf-8'],
] as const;

/** What `fn` throws: its class name and message, or 'no error'. */
export function thrown(fn: () => unknown): string {
  try {
    fn();
    return 'no error';
  } catch (error) {
    return `${(error as Error).constructor.name}: ${(error as Error).message}`;
  }
}
