import { hostname } from 'node:os';
import { ConfigError, type PromkitError, type RegistryOptions } from '@promkit/core';
import type { RedisSpec } from './connection';
import { checkGaugeMode, type GaugeMode } from './gauge-mode';

export interface RedisRegistryOptions extends RegistryOptions {
  /** An ioredis client, its options, or a `redis://` URL. Default `127.0.0.1:6379`. */
  readonly redis?: RedisSpec;
  /** Every key lives under `<prefix>:`. Default `promkit`. */
  readonly prefix?: string;
  /** How often local changes are sent, in one script call. Default 100 ms. */
  readonly flushIntervalMs?: number;
  /** How long a process's gauges outlive its last heartbeat. Default 30 s. */
  readonly gaugeTtlSeconds?: number;
  /** A process is live (for the `live*` gauge modes) while its last heartbeat is younger than this. Default min(10 s, gaugeTtlSeconds). */
  readonly liveTimeoutSeconds?: number;
  /** Identifies this process in Redis and in the process label. Unique per live registry. Default `<hostname>-<pid>`. */
  readonly processId?: string;
  /** Label naming the process in the `all`/`liveall` modes. Default `process`. */
  readonly processLabel?: string;
  /** Mode of every gauge not listed in `gaugeModes`. Default `all` (as Python's multiprocess mode). */
  readonly defaultGaugeMode?: GaugeMode;
  /** Mode per gauge, info or state set name. Infos and state sets default to `all`. */
  readonly gaugeModes?: Readonly<Record<string, GaugeMode>>;
  /** Longest a flush or scrape waits for Redis before treating it as unavailable. Default 2000 ms. */
  readonly commandTimeoutMs?: number;
  /** Most increments/sets in one script call; more changes go in follow-up calls. Default 20 000. */
  readonly maxBatchOperations?: number;
  /** Told once per outage, and once per metric whose definition Redis refuses. Default `console.warn`. */
  readonly onError?: (error: PromkitError) => void;
}

export interface ResolvedOptions {
  readonly prefix: string;
  readonly flushIntervalMs: number;
  readonly gaugeTtlMs: number;
  readonly liveTimeoutMs: number;
  readonly heartbeatIntervalMs: number;
  readonly processId: string;
  readonly processLabel: string;
  readonly defaultGaugeMode: GaugeMode;
  readonly gaugeModes: Readonly<Record<string, GaugeMode>>;
  readonly commandTimeoutMs: number;
  readonly maxBatchOperations: number;
  readonly onError: (error: PromkitError) => void;
}

function positive(name: string, value: number): number {
  if (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value)) {
    throw new ConfigError(
      `createRedisRegistry: ${name} must be a finite number > 0, got ${String(value)}`,
    );
  }
  return value;
}

export function resolveOptions(options: RedisRegistryOptions): ResolvedOptions {
  const prefix = options.prefix ?? 'promkit';
  if (typeof prefix !== 'string' || prefix === '') {
    throw new ConfigError(
      `createRedisRegistry: prefix must be a non-empty string, got ${JSON.stringify(prefix)}`,
    );
  }
  const flushIntervalMs = positive('flushIntervalMs', options.flushIntervalMs ?? 100);
  const gaugeTtlSeconds = positive('gaugeTtlSeconds', options.gaugeTtlSeconds ?? 30);
  const liveTimeoutSeconds = positive(
    'liveTimeoutSeconds',
    options.liveTimeoutSeconds ?? Math.min(10, gaugeTtlSeconds),
  );
  if (liveTimeoutSeconds > gaugeTtlSeconds) {
    throw new ConfigError(
      `createRedisRegistry: liveTimeoutSeconds (${liveTimeoutSeconds}) must not exceed gaugeTtlSeconds (${gaugeTtlSeconds})`,
    );
  }
  const processId = options.processId ?? `${hostname()}-${process.pid}`;
  if (typeof processId !== 'string' || processId === '') {
    throw new ConfigError(
      `createRedisRegistry: processId must be a non-empty string, got ${JSON.stringify(processId)}`,
    );
  }
  const processLabel = options.processLabel ?? 'process';
  if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(processLabel) || processLabel.startsWith('__')) {
    throw new ConfigError(
      `createRedisRegistry: processLabel ${JSON.stringify(processLabel)} is not a valid label name`,
    );
  }
  const defaultGaugeMode = checkGaugeMode('(default)', 'gauge', options.defaultGaugeMode ?? 'all');
  const gaugeModes = { ...(options.gaugeModes ?? {}) };
  const gaugeTtlMs = Math.round(gaugeTtlSeconds * 1000);
  const liveTimeoutMs = Math.round(liveTimeoutSeconds * 1000);
  const maxBatchOperations = positive('maxBatchOperations', options.maxBatchOperations ?? 20_000);
  return {
    prefix,
    flushIntervalMs,
    gaugeTtlMs,
    liveTimeoutMs,
    // Three heartbeats per live timeout: one lost beat never makes a process look dead.
    heartbeatIntervalMs: Math.max(flushIntervalMs, Math.floor(liveTimeoutMs / 3)),
    processId,
    processLabel,
    defaultGaugeMode,
    gaugeModes,
    commandTimeoutMs: positive('commandTimeoutMs', options.commandTimeoutMs ?? 2000),
    maxBatchOperations,
    onError: options.onError ?? ((error) => console.warn(`promkit: ${error.message}`)),
  };
}
