import snappy from 'snappyjs';

/** Snappy block format (not the framed stream format), as remote write requires. */
export function snappyCompress(data: Uint8Array): Uint8Array {
  return snappy.compress(data);
}
