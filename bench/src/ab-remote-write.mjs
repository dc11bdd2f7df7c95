/**
 * A/B of two builds of @promkit/remote-write's `encodeWriteRequest` in one process: the same
 * TimeSeries (the remote-write bench's 10 000-series registry, converted once), encoded by
 * each build in alternation, CPU time per encode (`process.cpuUsage`).
 * `node src/ab-remote-write.mjs <old remote-write/dist/index.js> <new …/dist/index.js> [rounds]`
 * Prints µs per encode of each build and new/old: median [min–max] over the rounds, and
 * whether both builds gave the same bytes.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { toTimeSeries } from '@promkit/remote-write';
import { remoteWriteRegistry } from './remote-write-registry.mjs';

const [oldPath, newPath, roundsArg = '9'] = process.argv.slice(2);
if (oldPath === undefined || newPath === undefined) {
  throw new Error('usage: node src/ab-remote-write.mjs <old dist/index.js> <new dist/index.js>');
}
const builds = {
  old: await import(pathToFileURL(resolve(oldPath)).href),
  new: await import(pathToFileURL(resolve(newPath)).href),
};
const { series, metadata } = toTimeSeries(await remoteWriteRegistry().collect(), { job: 'bench' });
const TIMESTAMP = 1_764_806_400_000;
const PER_ROUND = 50;

function usPerEncode(build) {
  const start = process.cpuUsage();
  for (let i = 0; i < PER_ROUND; i++) build.encodeWriteRequest(series, metadata, TIMESTAMP);
  const used = process.cpuUsage(start);
  return (used.user + used.system) / PER_ROUND;
}

const a = builds.old.encodeWriteRequest(series, metadata, TIMESTAMP);
const b = builds.new.encodeWriteRequest(series, metadata, TIMESTAMP);
const same = a.length === b.length && a.every((byte, i) => byte === b[i]);
for (let i = 0; i < 20; i++) for (const k of ['old', 'new']) usPerEncode(builds[k]);
const times = { old: [], new: [] };
for (let round = 0; round < Number(roundsArg); round++) {
  for (const k of round % 2 === 0 ? ['old', 'new'] : ['new', 'old']) {
    times[k].push(usPerEncode(builds[k]));
  }
}
const spread = (values, digits) => {
  const sorted = [...values].sort((x, y) => x - y);
  const f = (x) => x.toFixed(digits);
  return `${f(sorted[sorted.length >> 1])} [${f(sorted[0])}–${f(sorted.at(-1))}]`;
};
console.log(
  `encodeWriteRequest, ${series.length} series, ${(a.length / 1024).toFixed(0)} KiB, same bytes: ${same}; ` +
    `µs per encode old ${spread(times.old, 0)}, new ${spread(times.new, 0)}; ` +
    `new/old ${spread(
      times.new.map((t, i) => t / times.old[i]),
      2,
    )} (Node ${process.versions.node})`,
);
