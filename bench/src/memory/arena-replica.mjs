/**
 * Replica (not promkit's code): bytes per fresh counter series (3 labels, `route` unique per
 * series, as `child.mjs fresh`) for two ways of holding the unique label's values —
 * `map`: interned in a `Map<string, id>` plus an id → text array (the shape of
 * `DeclaredSeriesTable` today), keeping the caller's V8 string;
 * `arena`: the value's bytes copied into one growing byte array, with offsets and an own
 * open-addressing hash table (FNV-1a over the characters), so no V8 string is kept;
 * `hashed`: the caller's strings kept in the id → text array, found through an own
 * open-addressing `Int32Array` (FNV-1a over the characters) instead of a `Map` (the shape
 * promkit's `LargeDictionary` took).
 * Both share a series table like promkit's (slots, per-position id columns, values,
 * created). Also: time per lookup of an existing value, and (arena) the time to make every
 * value's text once per scrape (the arena decoded once, one slice per value).
 * `node --expose-gc src/memory/arena-replica.mjs map|arena|hashed`
 */
// Replica: bytes per fresh counter series (3 labels, route unique per series) for
// (a) a Map-interned route (today's shape) and (b) the route's bytes in an arena with an
// own hash table (no V8 string kept). Plus lookup cost per labelled call for both.
const shape = process.argv[2];
const N = 100_000;
const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'];
const STATUSES = ['200', '201', '404', '500'];
const settled = () => {
  for (let i = 0; i < 4; i++) gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};
const grow = (a, n, C) => {
  if (n <= a.length) return a;
  const b = new C(Math.max(n, Math.ceil(a.length * 1.5)));
  b.set(a);
  return b;
};

class MapDict {
  // today: Map<string, id> + id -> text array
  map = new Map();
  texts = [];
  id(s) {
    let id = this.map.get(s);
    if (id === undefined) {
      id = this.texts.length;
      this.map.set(s, id);
      this.texts.push(s);
    }
    return id;
  }
  find(s) {
    return this.map.get(s);
  }
}
/**
 * An own open-addressing table of ids (Int32, load <= .75), hashed by FNV-1a over the
 * characters; a subclass says how an id's value is compared (`eq`) and read (`text`), and
 * how many ids there are (`size`).
 */
class OpenAddressed {
  slots = new Int32Array(1024).fill(-1);
  hash(s) {
    let h = 0x811c9dc5;
    for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
    return h;
  }
  find(s) {
    const m = this.slots.length - 1;
    for (let at = this.hash(s) & m; ; at = (at + 1) & m) {
      const e = this.slots[at];
      if (e === -1) return undefined;
      if (this.eq(e, s)) return e;
    }
  }
  /** Grows the slots first when `id` would take them past the load. */
  place(s, id) {
    if ((this.size() + 1) * 4 > this.slots.length * 3) this.rehash();
    const m = this.slots.length - 1;
    let at = this.hash(s) & m;
    while (this.slots[at] !== -1) at = (at + 1) & m;
    this.slots[at] = id;
  }
  rehash() {
    this.slots = new Int32Array(this.slots.length * 2).fill(-1);
    const m = this.slots.length - 1;
    for (let id = 0; id < this.size(); id++) {
      let at = this.hash(this.text(id)) & m;
      while (this.slots[at] !== -1) at = (at + 1) & m;
      this.slots[at] = id;
    }
  }
}
class ArenaDict extends OpenAddressed {
  // bytes (latin1) in an arena, offsets, open addressing on FNV of chars
  bytes = new Uint8Array(1 << 16);
  used = 0;
  starts = new Int32Array(1024);
  count = 0;
  size() {
    return this.count;
  }
  eq(id, s) {
    const a = this.starts[id],
      b = id + 1 < this.count ? this.starts[id + 1] : this.used;
    if (b - a !== s.length) return false;
    const by = this.bytes;
    for (let i = 0; i < s.length; i++) if (by[a + i] !== s.charCodeAt(i)) return false;
    return true;
  }
  id(s) {
    const f = this.find(s);
    if (f !== undefined) return f;
    const id = this.count;
    this.place(s, id);
    this.count++;
    this.starts = grow(this.starts, this.count, Int32Array);
    this.starts[id] = this.used;
    this.bytes = grow(this.bytes, this.used + s.length, Uint8Array);
    for (let i = 0; i < s.length; i++) this.bytes[this.used + i] = s.charCodeAt(i);
    this.used += s.length;
    return id;
  }
  text(id) {
    const a = this.starts[id],
      b = id + 1 < this.count ? this.starts[id + 1] : this.used;
    return String.fromCharCode.apply(null, this.bytes.subarray(a, b));
  }
}
class HashedDict extends OpenAddressed {
  // the caller's strings kept in an id -> text array, found through an own open-addressing
  // table (FNV-1a over the characters) instead of a Map
  texts = [];
  size() {
    return this.texts.length;
  }
  eq(id, s) {
    return this.texts[id] === s;
  }
  id(s) {
    const f = this.find(s);
    if (f !== undefined) return f;
    const id = this.texts.length;
    this.place(s, id);
    this.texts.push(s);
    return id;
  }
  text(id) {
    return this.texts[id];
  }
}
// Series table shared by both: slots (Int32, load <= .75), per-position id columns, values, created.
class Table {
  slots = new Int32Array(16);
  n = 0;
  m = new Uint8Array(0);
  r = new Int32Array(0);
  s = new Uint8Array(0);
  values = new Float64Array(0);
  created = new Uint32Array(0);
  add(mi, ri, si) {
    const i = this.n++;
    this.m = grow(this.m, this.n, Uint8Array);
    this.r = grow(this.r, this.n, Int32Array);
    this.s = grow(this.s, this.n, Uint8Array);
    this.values = grow(this.values, this.n, Float64Array);
    this.created = grow(this.created, this.n, Uint32Array);
    this.m[i] = mi;
    this.r[i] = ri;
    this.s[i] = si;
    this.values[i] = 1;
    if (this.n * 4 > this.slots.length * 3) {
      const o = this.slots;
      this.slots = new Int32Array(o.length * 2);
      const k = this.slots.length - 1;
      for (let j = 0; j < i; j++) {
        let at = this.h(this.m[j], this.r[j], this.s[j]) & k;
        while (this.slots[at] !== 0) at = (at + 1) & k;
        this.slots[at] = j + 1;
      }
    }
    const k = this.slots.length - 1;
    let at = this.h(mi, ri, si) & k;
    while (this.slots[at] !== 0) at = (at + 1) & k;
    this.slots[at] = i + 1;
  }
  h(a, b, c) {
    let x = 0x811c9dc5;
    x = Math.imul(x ^ a, 16777619);
    x = Math.imul(x ^ b, 16777619);
    return Math.imul(x ^ c, 16777619);
  }
}
const small = () => new MapDict();
const dm = small(),
  ds = small();
for (const v of METHODS) dm.id(v);
for (const v of STATUSES) ds.id(v);
const route =
  shape === 'arena' ? new ArenaDict() : shape === 'hashed' ? new HashedDict() : new MapDict();
const table = new Table();
route.id('warm'); // structures exist before the baseline
const before = settled();
for (let i = 0; i < N; i++) {
  const labels = { method: METHODS[i % 5], route: `/api/v1/items/${i}`, status: STATUSES[i % 4] };
  table.add(dm.id(labels.method), route.id(labels.route), ds.id(labels.status));
}
const after = settled();
// The table must stay reachable past `after`: V8 frees a module-level const after its last
// read, and before this line was here the whole table (35 B a series) was collected before
// `after` was taken, so this script printed 41 B for `arena` and 102 B for `map`.
if (table.n !== N) throw new Error(`expected ${N} series, have ${table.n}`);
// Lookup cost: find the route id of existing values (fresh flat strings, made before timing).
const probes = Array.from({ length: 1 << 14 }, (_, i) =>
  JSON.parse(JSON.stringify(`/api/v1/items/${(i * 7919) % N}`)),
);
for (const p of probes) route.find(p); // hash once
let sink = 0;
const t0 = process.hrtime.bigint();
for (let r = 0; r < 50; r++) for (let i = 0; i < probes.length; i++) sink += route.find(probes[i]);
const ns = Number(process.hrtime.bigint() - t0) / (50 * probes.length);
console.log(
  JSON.stringify({
    shape,
    bytesPerSeries: +((after - before) / N).toFixed(1),
    typedArrayBytesPerSeries: +(
      [table.slots, table.m, table.r, table.s, table.values, table.created]
        .concat(
          shape === 'arena'
            ? [route.bytes, route.starts, route.slots]
            : shape === 'hashed'
              ? [route.slots]
              : [],
        )
        .reduce((sum, array) => sum + array.byteLength, 0) / N
    ).toFixed(1),
    lookupNs: +ns.toFixed(1),
    sink: sink > 0,
  }),
);
if (shape === 'arena') {
  // Per-scrape texts of every id: the arena decoded once, then one slice per id.
  const dec = new TextDecoder('latin1');
  const times = [];
  for (let r = 0; r < 15; r++) {
    const t1 = process.hrtime.bigint();
    const all = dec.decode(route.bytes.subarray(0, route.used));
    const texts = new Array(route.count);
    for (let id = 0; id < route.count; id++)
      texts[id] = all.slice(
        route.starts[id],
        id + 1 < route.count ? route.starts[id + 1] : route.used,
      );
    times.push(Number(process.hrtime.bigint() - t1) / 1e6);
    sink += texts.length;
  }
  times.sort((a, b) => a - b);
  console.log(
    JSON.stringify({
      textsPerScrapeMs: {
        median: +times[7].toFixed(2),
        min: +times[0].toFixed(2),
        max: +times[14].toFixed(2),
      },
    }),
  );
}
