// A Node job that pushes its metrics every 5 s with remote write, and once more on exit.
import { Counter, Histogram } from '@promkit/core';
import { RemoteWriter } from '@promkit/remote-write';

const url = process.env.REMOTE_WRITE_URL ?? 'http://127.0.0.1:9090/api/v1/write';
const seconds = Number(process.env.RUN_SECONDS ?? 12);

const processed = new Counter('example_records_processed_total', 'Records processed.', {
  labelNames: ['outcome'],
});
const latency = new Histogram('example_record_seconds', 'Time per record.', {
  native: true, // sent as a native histogram; Prometheus needs --enable-feature=native-histograms
});

const writer = new RemoteWriter({
  url,
  intervalSeconds: 5,
  // One instance label per process: counters of different processes stay different series.
  externalLabels: { job: 'example-remote-write', instance: `pid-${process.pid}` },
  onError: (error) => console.error(`push failed (${error.code}): ${error.message}`),
});
writer.start();

const work = setInterval(() => {
  const ms = Math.random() * 50;
  latency.observe(ms / 1000);
  processed.inc({ outcome: ms < 45 ? 'ok' : 'slow' });
}, 20);

async function shutdown() {
  clearInterval(work);
  await writer.stop(); // a final push with the last values
  console.log(`pushed to ${url}; try: histogram_count(example_record_seconds)`);
}
process.once('SIGINT', shutdown);
setTimeout(shutdown, seconds * 1000);
