/**
 * Where a JS loop stops beating `TextEncoder.encodeInto` for writing a non-ASCII string into
 * a buffer (core's wire/bytes.ts picks one by length). The JS loop timed is protobufjs'
 * `utf8.write` (the same per-code-unit loop as core's, without the U+FFFD branch), and
 * core's `ProtoWriter.string` as a whole. CPU ns per string, median of 7 rounds [min–max].
 * `node src/utf8-write.mjs`
 */
import { ProtoWriter } from '@promkit/core/wire';
import protobuf from 'protobufjs/minimal.js';

const encoder = new TextEncoder();
const buf = new Uint8Array(1 << 16);
const utf8 = protobuf.util.utf8;
const KINDS = { ascii: 'z', '2-byte': 'é', '3-byte': '語', pairs: '😀' };
const LENGTHS = [4, 16, 32, 48, 63, 64, 128, 256];
const ROUNDS = 7;

function time(fn, texts) {
  const n = 200_000;
  const start = process.cpuUsage();
  for (let i = 0; i < n; i++) fn(texts[i & 7]);
  const used = process.cpuUsage(start);
  return ((used.user + used.system) * 1000) / n;
}

const spread = (a) => {
  const s = [...a].sort((x, y) => x - y);
  return `${s[s.length >> 1].toFixed(0)} [${s[0].toFixed(0)}–${s.at(-1).toFixed(0)}]`;
};

const writer = new ProtoWriter(1 << 16);
const candidates = {
  'js loop': (t) => utf8.write(t, buf, 0),
  encodeInto: (t) => encoder.encodeInto(t, buf.subarray(0, 4 * t.length)),
  'ProtoWriter.string': (t) => writer.reset().string(t),
};
for (const [kind, char] of Object.entries(KINDS)) {
  for (const length of LENGTHS) {
    // Mostly ASCII with one non-ASCII character, as label values are when they are not ASCII.
    const texts = Array.from({ length: 8 }, (_, i) =>
      `${'a'.repeat(Math.max(0, length - char.length - 1))}${i}${char}`.slice(-length),
    );
    const results = Object.fromEntries(Object.keys(candidates).map((k) => [k, []]));
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, fn] of Object.entries(candidates)) results[name].push(time(fn, texts));
    }
    console.log(
      `${kind.padEnd(6)} ${String(length).padStart(3)} units: ` +
        Object.entries(results)
          .map(([name, r]) => `${name} ${spread(r)} ns`)
          .join(', '),
    );
  }
}
