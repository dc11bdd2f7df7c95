import { measure } from 'mitata';
import { median, percentile } from '../stats.mjs';

/**
 * Measures the libraries of one case in interleaved slices: `slices` passes, each timing
 * every library for 1/`slices` of mitata's usual time, the starting library rotated per
 * pass. A library's p50 is the median of its per-slice medians, its p99 from all samples
 * pooled. Timed one after another (the old way), a burst of load from another process
 * fell into one library's whole window and moved that round's ratio alone; interleaved,
 * it lands in a slice of each and the median of the slices steps over it.
 */
export async function measureInterleaved(subjects, { slices, options }) {
  const perSlice = new Map(subjects.map(([library]) => [library, []]));
  const pooled = new Map(subjects.map(([library]) => [library, []]));
  const sliceOptions = { ...options, min_cpu_time: options.min_cpu_time / slices };
  for (let s = 0; s < slices; s++) {
    for (let i = 0; i < subjects.length; i++) {
      const [library, run] = subjects[(i + s) % subjects.length];
      const stats = await measure(run, sliceOptions);
      perSlice.get(library).push(stats.p50);
      const all = pooled.get(library);
      for (const sample of stats.samples) all.push(sample);
    }
  }
  const results = {};
  for (const [library] of subjects) {
    const samples = Float64Array.from(pooled.get(library)).sort();
    results[library] = {
      p50: median(perSlice.get(library)),
      p99: percentile(samples, 0.99),
      samples: samples.length,
    };
  }
  return results;
}
