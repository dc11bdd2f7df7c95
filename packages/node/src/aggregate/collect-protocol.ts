import { type Collector, collectFamilies } from '@promkit/core';
import type { Aggregation } from './aggregation';
import { aggregationHints } from './aggregation-hints';
import { encodeSnapshot } from './snapshot-codec';

/** Primary → worker: "send me your metrics for request `id`". */
export interface CollectRequest {
  readonly type: 'promkit:collect';
  readonly id: string;
}

/** Worker → primary: the encoded snapshot for request `id`, or why there is none. */
export interface CollectResponse {
  readonly type: 'promkit:snapshot';
  readonly id: string;
  readonly snapshot?: string;
  readonly hints?: Readonly<Record<string, Aggregation>>;
  readonly error?: string;
}

export function isCollectRequest(message: unknown): message is CollectRequest {
  return (
    typeof message === 'object' &&
    message !== null &&
    (message as CollectRequest).type === 'promkit:collect' &&
    typeof (message as CollectRequest).id === 'string'
  );
}

export function isCollectResponse(message: unknown): message is CollectResponse {
  return (
    typeof message === 'object' &&
    message !== null &&
    (message as CollectResponse).type === 'promkit:snapshot' &&
    typeof (message as CollectResponse).id === 'string'
  );
}

/** What a worker answers to a request: its registry's snapshot, or the collect error. */
export async function answer(
  registry: Collector,
  request: CollectRequest,
): Promise<CollectResponse> {
  try {
    const families = await collectFamilies(registry);
    return {
      type: 'promkit:snapshot',
      id: request.id,
      snapshot: encodeSnapshot(families),
      hints: aggregationHints(registry),
    };
  } catch (error) {
    return { type: 'promkit:snapshot', id: request.id, error: String(error) };
  }
}
