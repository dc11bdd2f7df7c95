import { ConfigError, withTimeout } from '@promkit/core';
import { Redis, type RedisOptions } from 'ioredis';
import { FLUSH_SCRIPT, FLUSH_SCRIPT_SHA } from './flush-script';

/** An ioredis client, the options to make one, or a `redis://` URL. */
export type RedisSpec = Redis | RedisOptions | string;

/**
 * Client settings that make Redis failures fast instead of queued: no offline queue
 * (a command while disconnected fails at once), no replay of unanswered commands after a
 * reconnect (the flush loop resends its batch itself, deduplicated), quick reconnects.
 */
const FAIL_FAST: RedisOptions = {
  enableOfflineQueue: false,
  maxRetriesPerRequest: 0,
  autoResendUnfulfilledCommands: false,
  retryStrategy: (times) => Math.min(50 * 2 ** Math.min(times, 5), 1000),
};

export interface StoreConnection {
  readonly client: Redis;
  /** Whether the store created the client (and so quits it on close). */
  readonly owned: boolean;
  /** `host:port` for messages. */
  readonly where: string;
  /** Whether the client was ready at least once (later non-ready states are outages). */
  everReady: boolean;
  /** Settles when the client is first ready. */
  firstReady: Promise<void>;
}

function isClient(spec: RedisSpec): spec is Redis {
  return (
    typeof spec === 'object' &&
    spec !== null &&
    typeof (spec as Redis).pipeline === 'function' &&
    typeof (spec as Redis).call === 'function'
  );
}

/** Adopts a client or creates one with fail-fast settings (caller options win). */
export function connect(spec: RedisSpec | undefined, commandTimeoutMs: number): StoreConnection {
  if (spec !== undefined && isClient(spec)) {
    if ((spec as { isCluster?: boolean }).isCluster === true) {
      throw new ConfigError(
        'createRedisRegistry: Redis Cluster is not supported (a flush touches keys of many slots in one script); use a standalone Redis or Sentinel',
      );
    }
    checkNoKeyPrefix(spec.options.keyPrefix);
    return track({ client: spec, owned: false, where: describe(spec), everReady: false });
  }
  checkNoKeyPrefix(typeof spec === 'object' ? spec.keyPrefix : undefined);
  const base: RedisOptions = { ...FAIL_FAST, commandTimeout: commandTimeoutMs };
  const client =
    typeof spec === 'string' ? new Redis(spec, base) : new Redis({ ...base, ...(spec ?? {}) });
  // Failures surface through flushes and scrapes; without a listener ioredis prints each one.
  client.on('error', () => {});
  return track({ client, owned: true, where: describe(client), everReady: false });
}

/** ioredis' keyPrefix does not reach keys built inside the flush script. */
function checkNoKeyPrefix(keyPrefix: string | undefined): void {
  if (keyPrefix) {
    throw new ConfigError(
      `createRedisRegistry: the client's keyPrefix ${JSON.stringify(keyPrefix)} is not supported; pass it as the registry's \`prefix\` option instead`,
    );
  }
}

function track(connection: Omit<StoreConnection, 'firstReady'>): StoreConnection {
  const { client } = connection;
  const tracked = connection as StoreConnection;
  if (client.status === 'ready') {
    tracked.everReady = true;
    tracked.firstReady = Promise.resolve();
  } else {
    tracked.firstReady = new Promise<void>((resolve) =>
      client.once('ready', () => {
        tracked.everReady = true;
        resolve();
      }),
    );
  }
  return tracked;
}

/**
 * Resolves when commands can be sent. The first connection is waited for (up to `ms`);
 * once the client has been ready, any other state is an outage and rejects at once.
 */
export function whenReady(connection: StoreConnection, ms: number): Promise<void> {
  const { client } = connection;
  if (client.status === 'ready') return Promise.resolve();
  if (connection.everReady || client.status === 'end' || client.status === 'close') {
    return Promise.reject(new Error(`not connected (${client.status})`));
  }
  return withTimeout(
    connection.firstReady,
    ms,
    () => new Error(`not connected within ${ms} ms (${client.status})`),
  );
}

/** Runs the flush script by SHA, loading it on `NOSCRIPT` (first use, or after a restart). */
export async function runFlushScript(client: Redis, argv: string[]): Promise<unknown> {
  argv[0] = FLUSH_SCRIPT_SHA;
  try {
    return await client.call('EVALSHA', argv);
  } catch (error) {
    if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
    const withScript = argv.slice();
    withScript[0] = FLUSH_SCRIPT;
    return await client.call('EVAL', withScript);
  }
}

function describe(client: Redis): string {
  const { host, port, path } = client.options;
  return path ? String(path) : `${host ?? '127.0.0.1'}:${port ?? 6379}`;
}
