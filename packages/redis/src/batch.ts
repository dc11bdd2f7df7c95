import type { FlushReply } from './flush-script';
import type { BatchSections, SharedMetric, StagedBaseline } from './shared-metric';

/** Index of the sequence number in `Batch.argv` (after script, numkeys, prefix, session). */
const SEQ_INDEX = 4;

/**
 * One frozen set of changes. It is resent unchanged (same sequence number) until Redis
 * acknowledges it, then its values become the new baselines.
 */
export class Batch {
  constructor(
    /** `[script-or-sha, '0', ...ARGV]` for EVALSHA / EVAL. */
    readonly argv: string[],
    readonly metaSent: readonly SharedMetric[],
    private readonly staged: readonly StagedBaseline[],
    private readonly commits: ReadonlyArray<() => void>,
    /** Stopped at the operation limit: more changes are waiting. */
    readonly full: boolean,
    /** Metadata entries, increments, sets and deletions in the batch. */
    readonly operations: number,
    /** Orphaned gauge fields this batch deletes. */
    readonly orphans: readonly string[],
    /** Metrics found unshareable while building (to report once). */
    readonly unsupported: readonly SharedMetric[],
  ) {}

  get seq(): number {
    return Number(this.argv[SEQ_INDEX]);
  }

  /** Makes the batch's values the acknowledged state. */
  commit(reply: FlushReply): void {
    for (const { series, values } of this.staged) {
      series.flushed.set(values);
      series.fresh = false;
    }
    for (const commit of this.commits) commit();
    const refused = new Set(reply.conflicts.map((c) => c.name));
    for (const shared of this.metaSent) {
      if (!refused.has(shared.name) && shared.status === 'unsent') shared.status = 'confirmed';
    }
  }
}

export interface BatchHeader {
  readonly prefix: string;
  readonly session: string;
  readonly processId: string;
  readonly gaugeTtlMs: number;
  readonly sessionTtlMs: number;
}

/**
 * Walks the shared metrics and collects every change since the last acknowledged batch,
 * up to `maxOperations` (checked between metrics, so a metric is never split).
 */
export function buildBatch(
  metrics: Iterable<SharedMetric>,
  header: BatchHeader,
  seq: number,
  maxOperations: number,
  /** Gauge fields of metrics unregistered since the last acknowledged batch. */
  orphans: readonly string[],
): Batch {
  const sections: BatchSections = { meta: [], increments: [], gaugeSets: [], gaugeDels: [] };
  const staged: StagedBaseline[] = [];
  const commits: Array<() => void> = [];
  const metaSent: SharedMetric[] = [];
  const unsupported: SharedMetric[] = [];
  let operations = 0;
  let full = false;
  for (const shared of metrics) {
    if (shared.status === 'refused' || shared.unsupported !== undefined) continue;
    if (operations >= maxOperations) {
      full = true;
      break;
    }
    const definition = shared.definition();
    if (shared.unsupported !== undefined) {
      unsupported.push(shared);
      continue;
    }
    if (shared.status === 'unsent') {
      sections.meta.push(shared.name, definition.shape, definition.json);
      metaSent.push(shared);
      operations++;
    }
    const { ops, commit } = shared.diff(sections, staged);
    operations += ops;
    if (commit !== undefined) commits.push(commit);
  }
  sections.gaugeDels.push(...orphans);
  operations += orphans.length;
  const argv = [
    '',
    '0',
    header.prefix,
    header.session,
    String(seq),
    header.processId,
    String(header.gaugeTtlMs),
    String(header.sessionTtlMs),
    String(sections.meta.length / 3),
    ...sections.meta,
    String(sections.increments.length / 3),
    ...sections.increments,
    String(sections.gaugeDels.length),
    ...sections.gaugeDels,
    String(sections.gaugeSets.length / 3),
    ...sections.gaugeSets,
  ];
  return new Batch(argv, metaSent, staged, commits, full, operations, orphans, unsupported);
}
