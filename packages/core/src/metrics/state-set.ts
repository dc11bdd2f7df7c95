import { ConfigError, InvalidValueError } from '../errors';
import { labelText as labelTextOf } from '../exposition/escape';
import type { LabelArgs, LabelValues } from '../labels';
import type { StateSetFamily, StateSetPoint } from '../model';
import { validateLabelName } from '../validate';
import { wellFormed } from '../well-formed';
import { type MetricOptions, ObjectMetric } from './metric';

export interface StateSetOptions<S extends string, N extends string = string>
  extends MetricOptions<N> {
  /** Every possible state. */
  readonly states: readonly S[];
}

/** A bound state-set series: which of the states are currently true. */
export class StateSetChild<S extends string> {
  readonly active: Uint8Array;

  constructor(
    readonly metric: string,
    private readonly states: readonly S[],
  ) {
    this.active = new Uint8Array(states.length);
  }

  /** Makes `state` the only true state (enum semantics). */
  set(state: S): void {
    const index = this.indexOf(state);
    this.active.fill(0);
    this.active[index] = 1;
  }

  /** Sets several states at once; states not named keep their value. */
  setStates(states: Partial<Readonly<Record<S, boolean>>>): void {
    const updates: Array<[number, number]> = [];
    for (const state of Object.keys(states) as S[]) {
      updates.push([this.indexOf(state), states[state] ? 1 : 0]);
    }
    for (const [index, value] of updates) this.active[index] = value;
  }

  private indexOf(state: S): number {
    const index = this.states.indexOf(state);
    if (index === -1) {
      throw new InvalidValueError(
        `StateSet "${this.metric}": unknown state ${JSON.stringify(state)}, expected one of ${JSON.stringify(this.states)}`,
      );
    }
    return index;
  }
}

/**
 * A set of boolean states (OpenMetrics `stateset`); with `set()` it is an enum.
 *
 * @example
 * const phase = new StateSet('job_phase', 'Phase.', { states: ['idle', 'running', 'done'] as const });
 * phase.set(undefined, 'running');
 */
export class StateSet<S extends string, N extends string = string> extends ObjectMetric<
  N,
  StateSetChild<S>
> {
  readonly type = 'stateset' as const;
  readonly states: readonly S[];

  constructor(name: string, help: string, options: StateSetOptions<S, N>) {
    super(name, help, options, [name]);
    // The name is also the label that carries each state.
    validateLabelName(name, name, [], this.nameValidation);
    const states = options?.states;
    if (!Array.isArray(states) || states.length === 0) {
      throw new ConfigError(`StateSet "${name}": states must be a non-empty array of strings`);
    }
    if (new Set(states).size !== states.length || states.some((s) => typeof s !== 'string')) {
      throw new ConfigError(
        `StateSet "${name}": states must be distinct strings, got ${JSON.stringify(states)}`,
      );
    }
    this.states = Object.freeze([...states]);
    this.ready();
  }

  protected createSeries(): StateSetChild<S> {
    return new StateSetChild(this.name, this.states);
  }

  /** Makes `state` the only true state of the series of `labels`. */
  set(labels: LabelValues<N> | undefined, state: S): void {
    this.seriesFor(labels).set(state);
  }

  setStates(
    labels: LabelValues<N> | undefined,
    states: Partial<Readonly<Record<S, boolean>>>,
  ): void {
    this.seriesFor(labels).setStates(states);
  }

  /** Each state's truth for one series. */
  get(...args: LabelArgs<N>): Record<S, boolean> | undefined;
  get(labels?: LabelValues<N>): Record<S, boolean> | undefined {
    const s = this.peek(labels);
    if (s === undefined) return undefined;
    const out = {} as Record<S, boolean>;
    this.states.forEach((state, i) => {
      out[state] = s.active[i] === 1;
    });
    return out;
  }

  collect(): StateSetFamily {
    const points: StateSetPoint[] = [];
    // Each state is a point: the series labels plus `<metric>="<state>"`.
    const stateValues = this.states.map(wellFormed);
    const stateText = stateValues.map((state) => labelTextOf({ [this.name]: state }));
    this.eachObject((s, labels, labelText) => {
      for (let i = 0; i < this.states.length; i++) {
        points.push({
          labels: { ...labels, [this.name]: stateValues[i]! },
          labelText: labelText === '' ? stateText[i]! : `${labelText},${stateText[i]!}`,
          value: s.active[i] === 1 ? 1 : 0,
        });
      }
    });
    return this.snapshot('stateset', points);
  }
}
