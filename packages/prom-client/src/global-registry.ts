import { REGISTRY } from '@promkit/core';
import { GLOBAL_KEY as KEY, Registry } from './registry';

type Holder = { [KEY]?: Registry };

/**
 * prom-client's global `register`, linked to promkit's default `REGISTRY`: what is
 * registered here is served by every promkit endpoint. One per process, shared by the
 * ESM and CommonJS builds.
 */
const holder = globalThis as Holder;
holder[KEY] ??= new Registry();
export const globalRegistry: Registry = holder[KEY];
globalRegistry.linkTo(REGISTRY);
