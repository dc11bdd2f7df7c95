// A tiny remote-write receiver on 127.0.0.1:0 for fault tests: answers from a script of
// responses and keeps every request it got, decoded with the package's own .proto files.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';
import snappy from 'snappyjs';

const protoDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'proto');
const WriteRequest = protobuf
  .loadSync([join(protoDir, 'remote.proto'), join(protoDir, 'types.proto')])
  .lookupType('prometheus.WriteRequest');

export interface DecodedWriteRequest {
  timeseries: Array<{
    labels: Array<{ name: string; value: string }>;
    samples: Array<{ value: number; timestamp: number }>;
    histograms: Array<Record<string, unknown>>;
  }>;
  metadata: Array<{ type: string; metricFamilyName: string; help: string; unit: string }>;
}

export function decodeWriteRequest(compressed: Uint8Array): DecodedWriteRequest {
  const message = WriteRequest.decode(snappy.uncompress(compressed));
  return WriteRequest.toObject(message, {
    longs: Number,
    enums: String,
    defaults: true,
    arrays: true,
  }) as DecodedWriteRequest;
}

export interface Scripted {
  readonly status: number;
  readonly headers?: Record<string, string>;
  /** Answer only after this many milliseconds. */
  readonly delayMs?: number;
}

export interface ReceivedRequest {
  readonly headers: IncomingHttpHeaders;
  readonly body: DecodedWriteRequest;
  readonly status: number;
}

export interface Receiver {
  readonly url: string;
  readonly requests: ReceivedRequest[];
  close(): Promise<void>;
}

/** Answers the scripted responses in order, then 204 to everything. */
export async function startReceiver(script: Scripted[] = []): Promise<Receiver> {
  const requests: ReceivedRequest[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const answer = script.shift() ?? { status: 204 };
      requests.push({
        headers: req.headers,
        body: decodeWriteRequest(new Uint8Array(Buffer.concat(chunks))),
        status: answer.status,
      });
      setTimeout(() => {
        res.writeHead(answer.status, answer.headers);
        res.end(answer.status >= 400 ? `status ${answer.status}` : '');
      }, answer.delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/v1/write`,
    requests,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
