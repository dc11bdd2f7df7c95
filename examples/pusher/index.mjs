// A batch job that pushes its metrics to a Prometheus Pushgateway when it is done.
//
//   pnpm start                                      push to http://127.0.0.1:9091
//   PUSHGATEWAY_URL=http://gw:9091 pnpm start       push elsewhere
//   pnpm start -- --periodic                        push every second while working, once more at the end
import { hostname } from 'node:os';
import { Counter, Gauge, Histogram, Registry } from '@promkit/core';
import { Pusher } from '@promkit/node';

const gatewayUrl = process.env.PUSHGATEWAY_URL ?? 'http://127.0.0.1:9091';
const registry = new Registry();
const records = new Counter('example_batch_records_total', 'Records processed.', { registry });
const recordSeconds = new Histogram('example_batch_record_seconds', 'Time per record.', {
  registry,
  buckets: [0.001, 0.005, 0.01, 0.05],
});
const lastSuccess = new Gauge(
  'example_batch_last_success_timestamp_seconds',
  'Last successful run.',
  {
    registry,
  },
);

// The group this run replaces: job + instance. A value with "/" is sent base64-encoded.
const pusher = new Pusher('example-batch', gatewayUrl, {
  groupingKey: { instance: hostname(), dataset: 'imports/2024' },
  timeoutMs: 5000,
});

async function runBatch() {
  for (let i = 0; i < 200; i++) {
    const end = recordSeconds.startTimer();
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 10));
    records.inc();
    end();
  }
  lastSuccess.setToCurrentTime();
}

const periodic = process.argv.includes('--periodic')
  ? pusher.startPeriodic({ intervalMs: 1000, registry })
  : undefined;
await runBatch();
try {
  if (periodic) {
    await periodic.stop(); // pushes one last time; failures went to console.warn
  } else {
    const { status } = await pusher.replace(registry);
    console.log(`pushed to ${pusher.url} (HTTP ${status})`);
  }
  console.log(`records: ${records.get()}; read them back at ${gatewayUrl}/metrics`);
} catch (error) {
  // PushConnectionError (gateway down), PushTimeoutError, or PushError (status + body).
  console.error(`push failed: ${error.message}`);
  process.exitCode = 1;
}
