// Remote-write cost for a 10 000-series registry: collect, encode (prometheus.WriteRequest)
// and Snappy-compress, each timed separately in process CPU time (steadier than wall time
// on a shared machine). `pnpm --filter @promkit/bench remote-write`.
import { encodeWriteRequest, snappyCompress, toTimeSeries } from '@promkit/remote-write';
import { remoteWriteRegistry } from './remote-write-registry.mjs';
import { median } from './stats.mjs';

const RUNS = Number(process.env.RUNS ?? 30);

/** Milliseconds of CPU time (user + system) this process has used. */
function cpuMs() {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

const r = remoteWriteRegistry();
const timings = { collect: [], encode: [], compress: [] };
let series = 0;
let raw = 0;
let compressed = 0;
for (let run = 0; run < RUNS; run++) {
  let t = cpuMs();
  const families = await r.collect();
  timings.collect.push(cpuMs() - t);
  t = cpuMs();
  const ts = toTimeSeries(families, { job: 'bench', instance: 'a' });
  const body = encodeWriteRequest(ts.series, ts.metadata, Date.now());
  timings.encode.push(cpuMs() - t);
  t = cpuMs();
  const snappy = snappyCompress(body);
  timings.compress.push(cpuMs() - t);
  series = ts.series.length;
  raw = body.length;
  compressed = snappy.length;
}
console.log(
  `remote write, ${series} series, median CPU time of ${RUNS} runs (Node ${process.versions.node})`,
);
for (const [step, values] of Object.entries(timings)) {
  console.log(`  ${step.padEnd(9)} ${median(values).toFixed(2)} ms`);
}
console.log(
  `  WriteRequest ${(raw / 1024).toFixed(0)} KiB, snappy ${(compressed / 1024).toFixed(0)} KiB`,
);
