const kept: object[] = [];

/**
 * Keeps `instance` for the life of the process, so that the hidden class (V8's map) its
 * class gives instances stays alive. A scrape makes and drops some objects (a protobuf
 * writer per slice, a summary's reads); once their fields are added, their map is held
 * only by the transitions of the map before it, weakly, so a full GC that finds no
 * instance left frees it. Every optimized function that checked for that map is then
 * thrown away ("reason: weak objects" under `--trace-deopt`) and the next scrape runs it
 * unoptimized until V8 optimizes it again. Scrapes seconds apart usually have a full GC
 * between them.
 * Call it at module load with an instance made the way the scrape makes them (the same
 * fields, in the same order, holding the same kinds of values), so both share the map.
 */
export function keepShape<T extends object>(instance: T): T {
  kept.push(instance);
  return instance;
}
