/** V8 keeps strings shorter than this flat and sequential, whatever made them. */
const ALWAYS_SEQUENTIAL_BELOW = 13;

/*
 * A piece that many lines of a page reuse should be a sequential string of its own: copying
 * a rope of lines flat copies a sequential piece with one `CopyChars`, but walks a piece
 * made with `+` (a rope node, also after reading a character has flattened it: the node
 * then points at the flat copy) once more for every line that holds it, ~50 instructions a
 * use. `join` writes a new sequential string, unless only one part is not empty: then it
 * returns that part as it is.
 */

/**
 * `text` copied flat now (reading one character makes V8 copy a string tree into one flat
 * string), while its pieces are still young; the string stays a rope node pointing at the
 * copy, so a piece many lines reuse wants `sequentialJoin`/`sequentialCopy` instead.
 */
export function flat(text: string): string {
  text.charCodeAt(0);
  return text;
}

/** `parts` joined into a new sequential string; at least two of them must not be empty. */
export function sequentialJoin(parts: readonly string[]): string {
  return parts.join('');
}

/** `text` as a sequential string (itself when it is short enough to be one already). */
export function sequentialCopy(text: string): string {
  return text.length < ALWAYS_SEQUENTIAL_BELOW ? text : [text.slice(0, 1), text.slice(1)].join('');
}
