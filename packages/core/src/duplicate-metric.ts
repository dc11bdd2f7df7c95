import { DuplicateMetricError } from './errors';

interface Shape {
  readonly type?: unknown;
  readonly labelNames?: unknown;
  readonly help?: unknown;
}

/**
 * The error for registering a second collector under a taken name: what the two
 * definitions are, what differs, and where such a second registration usually comes from.
 */
export function duplicateMetricError(
  name: string,
  registeredCollector: object,
  givenCollector: object,
): DuplicateMetricError {
  const registered = registeredCollector as Shape;
  const given = givenCollector as Shape;
  const differs: string[] = [];
  if (registered.type !== given.type) differs.push('type');
  if (JSON.stringify(registered.labelNames) !== JSON.stringify(given.labelNames)) {
    differs.push('label names');
  }
  if (registered.help !== given.help) differs.push('help');
  const verdict =
    differs.length === 0
      ? 'the same definition, so most likely the same code ran twice'
      : `they differ in ${differs.join(', ')}`;
  const n = JSON.stringify(name);
  return new DuplicateMetricError(
    `A metric named ${n} is already registered: the registered one is ${describe(registered)}, ` +
      `this one is ${describe(given)}; ${verdict}. Usual causes: the module creating it was ` +
      `loaded twice (two bundles or paths, or a hot reload re-running it: create metrics ` +
      `once, or reuse registry.get(${n})); or a middleware or library already registers ` +
      `that name (rename one, or use the \`prefix\` option or a separate \`registry\`).`,
  );
}

function describe(shape: Shape): string {
  const type = typeof shape.type === 'string' ? shape.type : 'collector';
  const labels = Array.isArray(shape.labelNames) ? JSON.stringify(shape.labelNames) : 'any';
  const help = typeof shape.help === 'string' ? JSON.stringify(shape.help) : 'none';
  return `a ${type} with labels ${labels} and help ${help}`;
}
