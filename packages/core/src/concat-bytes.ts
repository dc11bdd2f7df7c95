/**
 * The parts as one byte array: a single part as it is, parts that are adjacent views of
 * one buffer (the chunks of a streamed page) as one view of it, anything else copied.
 */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const joined = adjacentView(parts);
  if (joined !== undefined) return joined;
  let length = 0;
  for (const part of parts) length += part.byteLength;
  const out = new Uint8Array(length);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.byteLength;
  }
  return out;
}

/** One view over `parts` when each starts where the one before ends, in one buffer. */
function adjacentView(parts: readonly Uint8Array[]): Uint8Array | undefined {
  const first = parts[0];
  if (first === undefined) return undefined;
  const buffer = first.buffer;
  let end = first.byteOffset + first.byteLength;
  for (let i = 1; i < parts.length; i++) {
    const part = parts[i]!;
    if (part.buffer !== buffer || part.byteOffset !== end) return undefined;
    end += part.byteLength;
  }
  return new Uint8Array(buffer, first.byteOffset, end - first.byteOffset);
}
