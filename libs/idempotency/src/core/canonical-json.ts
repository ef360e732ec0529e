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
  // Object.fromEntries defines own properties: a body's "__proto__" key (JSON.parse keeps it as an own key)
  // stays a key, where `sorted[key] = …` would set the prototype and drop it from the fingerprint.
  return Object.fromEntries(
    Object.entries(plain)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, member]) => [key, sortKeys(member)]),
  );
}

function hasToJson(value: unknown): value is { toJSON(): unknown } {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { toJSON?: unknown }).toJSON === 'function'
  );
}
