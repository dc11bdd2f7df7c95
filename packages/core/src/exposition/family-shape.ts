// Facts about a family that every writer needs alike.

/** `foo` and `foo_info` both give the sample name `foo_info`. */
export function infoSampleName(name: string): string {
  return name.endsWith('_info') ? name : `${name}_info`;
}

export function sameBounds(a: ArrayLike<number> | undefined, b: ArrayLike<number>): boolean {
  if (a === undefined || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
