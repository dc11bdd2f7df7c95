import { randomUUID } from 'node:crypto';
import { AggregationError } from '../errors';
import type { CollectRequest, CollectResponse } from './collect-protocol';
import type { WorkerSnapshot } from './merge-families';
import { decodeSnapshot } from './snapshot-codec';

export function sendFailed(peerId: string, cause: unknown): AggregationError {
  return new AggregationError(`could not ask worker ${peerId} for metrics`, { cause });
}

/** A worker the primary can ask for metrics, whatever carries the message. */
export interface Peer {
  readonly id: string;
  /** Sends the request; throws when the channel is closed. */
  send(request: CollectRequest): void;
}

/** What one round of requests produced. */
export interface GatherResult {
  readonly snapshots: WorkerSnapshot[];
  /** Workers that had not answered when the timeout fired. */
  readonly timedOut: string[];
  /** Workers that answered with an error, could not be asked, or exited meanwhile. */
  readonly failed: Array<{ readonly worker: string; readonly error: Error }>;
}

interface Round {
  readonly waiting: Set<string>;
  readonly snapshots: Map<string, WorkerSnapshot>;
  readonly failed: Array<{ worker: string; error: Error }>;
  readonly finish: () => void;
}

/**
 * Sends a collect request to every peer and waits for the answers, at most `timeoutMs`.
 * Transports (cluster IPC, worker_threads) feed answers in with `receive` and exits with
 * `peerGone`; the result is always delivered, with whatever arrived in time.
 */
export class SnapshotGatherer {
  private readonly prefix = randomUUID();
  private sequence = 0;
  private readonly rounds = new Map<string, Round>();

  gather(peers: readonly Peer[], timeoutMs: number): Promise<GatherResult> {
    const id = `${this.prefix}:${++this.sequence}`;
    return new Promise((resolve) => {
      let done = false;
      const round: Round = {
        waiting: new Set(peers.map((peer) => peer.id)),
        snapshots: new Map(),
        failed: [],
        finish: () => {
          if (done) return;
          done = true;
          clearTimeout(timer);
          this.rounds.delete(id);
          resolve({
            // Peer order, not arrival order, so merges ("first") are deterministic.
            snapshots: peers.flatMap((peer) => {
              const snapshot = round.snapshots.get(peer.id);
              return snapshot === undefined ? [] : [snapshot];
            }),
            timedOut: [...round.waiting],
            failed: round.failed,
          });
        },
      };
      const timer = setTimeout(round.finish, timeoutMs);
      timer.unref();
      this.rounds.set(id, round);
      for (const peer of peers) {
        try {
          peer.send({ type: 'promkit:collect', id });
        } catch (error) {
          this.settle(round, peer.id, () =>
            round.failed.push({
              worker: peer.id,
              error: sendFailed(peer.id, error),
            }),
          );
        }
      }
      if (round.waiting.size === 0) round.finish();
    });
  }

  /** Feeds in a worker's answer; answers to unknown or finished requests are ignored. */
  receive(peerId: string, response: CollectResponse): void {
    const round = this.rounds.get(response.id);
    if (round === undefined || !round.waiting.has(peerId)) return;
    this.settle(round, peerId, () => {
      if (response.error !== undefined || response.snapshot === undefined) {
        round.failed.push({
          worker: peerId,
          error: new AggregationError(
            `worker ${peerId} failed to collect its metrics: ${response.error ?? 'no snapshot'}`,
          ),
        });
        return;
      }
      try {
        const families = decodeSnapshot(response.snapshot, `worker ${peerId}`);
        round.snapshots.set(peerId, {
          worker: peerId,
          families,
          ...(response.hints === undefined ? {} : { hints: response.hints }),
        });
      } catch (error) {
        round.failed.push({ worker: peerId, error: error as Error });
      }
    });
  }

  /** A worker exited or disconnected: no round waits for it any longer. */
  peerGone(peerId: string): void {
    this.peerFailed(peerId, new AggregationError(`worker ${peerId} exited before answering`));
  }

  /** Delivering a request to the worker failed after `send` returned. */
  peerFailed(peerId: string, error: Error): void {
    for (const round of [...this.rounds.values()]) {
      if (!round.waiting.has(peerId)) continue;
      this.settle(round, peerId, () => round.failed.push({ worker: peerId, error }));
    }
  }

  private settle(round: Round, peerId: string, record: () => void): void {
    round.waiting.delete(peerId);
    record();
    if (round.waiting.size === 0) round.finish();
  }
}
