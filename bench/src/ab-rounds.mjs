/**
 * Times two builds' loops against each other in one process: each loop called twice to warm
 * up, then `rounds` rounds that alternate which side runs first, CPU time per op
 * (`process.cpuUsage`, so time the process waits for a core is not counted). `run(calls)`
 * does `ops` operations. Returns `old X ns, new Y ns, new/old median R [min–max]` over the
 * rounds. Used by `ab-core.mjs` and `ab-label-size.mjs`.
 */
export function abRounds(runOld, runNew, { rounds, calls, ops = calls }) {
  const sides = [runOld, runNew];
  for (let w = 0; w < 2; w++) for (const run of sides) run(calls);
  const ratios = [];
  const nanos = [[], []];
  for (let round = 0; round < rounds; round++) {
    const took = [];
    for (const side of round % 2 ? [0, 1] : [1, 0]) {
      const start = process.cpuUsage();
      sides[side](calls);
      const used = process.cpuUsage(start);
      took[side] = ((used.user + used.system) * 1000) / ops;
    }
    nanos[0].push(took[0]);
    nanos[1].push(took[1]);
    ratios.push(took[1] / took[0]);
  }
  const median = (x) => [...x].sort((a, b) => a - b)[x.length >> 1];
  return `old ${median(nanos[0]).toFixed(1)} ns, new ${median(nanos[1]).toFixed(1)} ns, new/old median ${median(ratios).toFixed(3)} [${Math.min(...ratios).toFixed(3)}–${Math.max(...ratios).toFixed(3)}]`;
}

/**
 * The module at `url` (a loops module beside the A/B script) imported for one side under an
 * URL of its own, so each build runs its own copy of the loops: with one copy, the call sites
 * inside saw both builds' classes, and the same build loaded twice read 1.06–1.13× slower
 * the second time.
 */
export function importPerSide(url, side) {
  return import(`${url}?${side}`);
}
