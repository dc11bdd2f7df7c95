import http, { type IncomingMessage, type RequestOptions } from 'node:http';
import https from 'node:https';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';

const gzipAsync = promisify(gzip);

import { groupPath } from '@promkit/node';
import { globalRegistry } from './global-registry';
import type { Registry } from './registry';
import type { RegistryContentType } from './types';

export declare namespace Pushgateway {
  interface Parameters {
    jobName?: string;
    groupings?: Record<string, string>;
  }
  /** `http.request` options passed through (headers, timeout, agent, …) plus `requireJobName`. */
  interface Options extends RequestOptions {
    requireJobName?: boolean;
  }
}

/**
 * prom-client's `Pushgateway` client: `pushAdd` (POST), `push` (PUT) and `delete` a group,
 * sending the registry's text. Uses `node:http`/`node:https` and passes `options` to
 * `http.request`, as prom-client does (headers, `timeout`, agents; `Content-Encoding: gzip`
 * compresses the body).
 *
 * @example
 * const gateway = new Pushgateway('http://127.0.0.1:9091', { timeout: 5000 });
 * await gateway.pushAdd({ jobName: 'nightly', groupings: { host: 'a' } });
 */
export class Pushgateway<C extends RegistryContentType = RegistryContentType> {
  readonly registry: Registry<C>;
  readonly gatewayUrl: string;
  readonly requireJobName: boolean;
  readonly requestOptions: RequestOptions;

  constructor(gatewayUrl: string, options?: Pushgateway.Options | null, registry?: Registry<C>) {
    this.registry = registry ?? (globalRegistry as unknown as Registry<C>);
    this.gatewayUrl = gatewayUrl;
    const { requireJobName = true, ...requestOptions } = options ?? {};
    this.requireJobName = requireJobName;
    this.requestOptions = requestOptions;
  }

  /** POST: replaces the pushed metric names in the group. */
  pushAdd(params: Pushgateway.Parameters = {}): Promise<{ resp?: unknown; body?: unknown }> {
    this.checkJob(params);
    return this.send('POST', params);
  }

  /** PUT: replaces the whole group. */
  push(params: Pushgateway.Parameters = {}): Promise<{ resp?: unknown; body?: unknown }> {
    this.checkJob(params);
    return this.send('PUT', params);
  }

  /** DELETE: removes the group. */
  delete(params: Pushgateway.Parameters = {}): Promise<{ resp?: unknown; body?: unknown }> {
    this.checkJob(params);
    return this.send('DELETE', params);
  }

  private checkJob(params: Pushgateway.Parameters): void {
    if (this.requireJobName && !params.jobName) throw new Error('Missing jobName parameter');
  }

  private async body(compress: boolean): Promise<string | Buffer> {
    const text = await this.registry.metrics();
    return compress ? gzipAsync(text) : text;
  }

  private send(
    method: 'POST' | 'PUT' | 'DELETE',
    params: Pushgateway.Parameters,
  ): Promise<{ resp: IncomingMessage; body: string }> {
    const target = new URL(this.gatewayUrl);
    const base = target.pathname && target.pathname !== '/' ? target.pathname : '';
    // @promkit/node's group path: percent-encoded like prom-client, and `@base64` for values
    // with a `/` or empty ones, which prom-client sends in a form the gateway cannot split.
    const job = params.jobName
      ? groupPath(params.jobName, stringValues(params.groupings)).slice('/metrics'.length)
      : '';
    const headers = { ...(this.requestOptions.headers as Record<string, string> | undefined) };
    if (method === 'DELETE') delete headers['Content-Encoding'];
    const options: RequestOptions = {
      protocol: target.protocol,
      hostname: target.hostname.replace(/^\[|\]$/g, ''),
      port: target.port || undefined,
      ...(target.username
        ? { auth: `${decodeURIComponent(target.username)}:${decodeURIComponent(target.password)}` }
        : {}),
      ...this.requestOptions,
      headers,
      path: `${base}/metrics${job}`,
      method,
    };
    const transport = target.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const req = transport.request(options, (resp) => {
        let body = '';
        resp.setEncoding('utf8');
        resp.on('data', (chunk: string) => {
          body += chunk;
        });
        resp.on('end', () => {
          if ((resp.statusCode ?? 0) >= 400) {
            reject(new Error(`push failed with status ${resp.statusCode}, ${body}`));
          } else {
            resolve({ resp, body });
          }
        });
      });
      req.on('error', reject);
      req.on('timeout', () => req.destroy(new Error('Pushgateway request timed out')));
      if (method === 'DELETE') {
        req.end();
        return;
      }
      this.body(headers['Content-Encoding'] === 'gzip').then(
        (body) => req.end(body),
        (error: unknown) => {
          req.destroy();
          reject(error);
        },
      );
    });
  }
}

function stringValues(groupings: Record<string, unknown> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(groupings ?? {})) out[key] = String(value);
  return out;
}
