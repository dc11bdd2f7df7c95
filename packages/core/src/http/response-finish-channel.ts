import { nodeBuiltin } from './node-builtin';

/**
 * What Node's HTTP server publishes on the `http.server.response.finish` diagnostics
 * channel when a response has handed its last byte to the socket.
 */
export interface ResponseFinishMessage {
  readonly response: object;
  readonly socket: object | null | undefined;
  readonly server: object | null | undefined;
}

interface DiagnosticsChannelModule {
  subscribe(name: string, onMessage: (message: unknown, name: string | symbol) => void): void;
}

/**
 * Subscribes `onFinish` to Node's `http.server.response.finish` channel: one call per
 * finished response of every HTTP/1 server in the process, with no listener added per
 * response. False where there is none to subscribe to (not Node, or Node < 20.16: see
 * `nodeBuiltin`). Whether a given server publishes on it is for the caller to find out
 * (Node's HTTP/2 compatibility responses do not): a subscriber that throws would crash the
 * process (Node rethrows it on the next tick), so `onFinish` must contain its faults.
 */
export function subscribeResponseFinish(
  onFinish: (message: ResponseFinishMessage) => void,
): boolean {
  const channels = nodeBuiltin<DiagnosticsChannelModule>('node:diagnostics_channel');
  if (typeof channels?.subscribe !== 'function') return false;
  try {
    channels.subscribe('http.server.response.finish', onFinish as (message: unknown) => void);
    return true;
  } catch {
    return false;
  }
}
