interface NodeProcess {
  readonly versions?: Readonly<Record<string, string | undefined>>;
  getBuiltinModule?(id: string): unknown;
}

/**
 * A Node built-in module (`node:zlib`, …) through `process.getBuiltinModule` (Node ≥ 20.16),
 * so that core imports nothing from `node:`. Only on Node itself: Bun and Deno report a Node
 * version too, but what core takes from these modules was measured and tested on Node only.
 * Undefined elsewhere, on older Node, or when loading it throws.
 */
export function nodeBuiltin<T>(id: string): T | undefined {
  const proc = (globalThis as { process?: NodeProcess }).process;
  const versions = proc?.versions;
  if (versions?.node === undefined || versions.bun !== undefined || versions.deno !== undefined) {
    return undefined;
  }
  try {
    return proc?.getBuiltinModule?.(id) as T | undefined;
  } catch {
    return undefined;
  }
}
