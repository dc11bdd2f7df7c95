import { fitColumn } from './columns';

/** The default clock of `ttlSeconds`: monotonic seconds. */
export function monotonicClock(): number {
  return performance.now() / 1000;
}

/**
 * Which series have been idle for `ttlSeconds`. Nothing runs on the update path: each
 * metric type reports a number that changes whenever a series is updated (a counter's
 * value, a histogram's count, a gauge's write count), and a sweep at collect time
 * compares it with what the previous sweep saw, so the clock is read once per sweep.
 */
export class IdleSeries {
  /** The activity number each series had at the last sweep; NaN for a new series. */
  private seenActivity = new Float64Array(0);
  /** When the activity number last changed (clock seconds). */
  private seenAt = new Float64Array(0);
  /** When the last sweep ran. */
  lastSweep = Number.NEGATIVE_INFINITY;

  constructor(
    readonly ttlSeconds: number,
    readonly clock: () => number,
  ) {}

  /** A new series at `index`: it counts as active at the next sweep. */
  added(index: number): void {
    this.seenActivity = fitColumn(this.seenActivity, index);
    this.seenAt = fitColumn(this.seenAt, index);
    this.seenActivity[index] = Number.NaN;
  }

  /**
   * Notes the activity of every live index (`forEach`) and returns those idle for
   * `ttlSeconds` or longer.
   */
  sweep(forEach: (fn: (index: number) => void) => void, activity: (index: number) => number) {
    const now = this.clock();
    this.lastSweep = now;
    const expired: number[] = [];
    const seen = this.seenActivity;
    const at = this.seenAt;
    forEach((index) => {
      const current = activity(index);
      if (current !== seen[index]) {
        seen[index] = current;
        at[index] = now;
      } else if (now - at[index]! >= this.ttlSeconds) {
        expired.push(index);
      }
    });
    return expired;
  }
}
