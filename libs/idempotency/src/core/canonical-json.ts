/**
 * JSON with object keys sorted recursively, so two bodies that differ only in key order (which no JSON consumer
 * may depend on) serialise identically. Everything else follows `JSON.stringify`: `toJSON` is honoured, `undefined`
 * members are dropped, non-finite numbers become `null`. Array order is kept: it is meaningful.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value)) ?? 'null';
}

function sortKeys(value: unknown): unknown {
  const plain = hasToJson(value) ? value.toJSON() : value;
  if (Array.isArray(plain)) return plain.map(sortKeys);
  if (plain === null || typeof plain !== 'object') return plain;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(plain).sort()) {
    sorted[key] = sortKeys((plain as Record<string, unknown>)[key]);
  }
  return sorted;
}

function hasToJson(value: unknown): value is { toJSON(): unknown } {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { toJSON?: unknown }).toJSON === 'function'
  );
}
