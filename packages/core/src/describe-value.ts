const MAX_SHOWN = 120;

/**
 * A caller's value as an error message shows it: its type, then the value itself —
 * `string "3"`, `object {"route":"/"}`, `number NaN`, `undefined`.
 */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  switch (typeof value) {
    case 'number':
    case 'boolean':
      return `${typeof value} ${value}`;
    case 'bigint':
      return `bigint ${value}n`;
    case 'string':
      return `string ${clip(JSON.stringify(value))}`;
    case 'symbol':
      return `symbol ${String(value)}`;
    case 'function':
      return `function ${value.name === '' ? '(anonymous)' : value.name}`;
    default: {
      let json: string | undefined;
      try {
        json = JSON.stringify(value);
      } catch {
        json = undefined; // circular, or a BigInt inside
      }
      const kind = Array.isArray(value) ? 'array' : 'object';
      return `${kind} ${json === undefined ? Object.prototype.toString.call(value) : clip(json)}`;
    }
  }
}

/** `: pass the number 3, not a string` for a numeric string, else ''. */
export function numericStringHint(value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') return '';
  const n = Number(value);
  return Number.isFinite(n) ? ` (pass the number ${n}, not a string)` : '';
}

function clip(text: string): string {
  return text.length <= MAX_SHOWN ? text : `${text.slice(0, MAX_SHOWN - 1)}…`;
}
