import { Type, types, type Schema } from 'avsc';

const MAX = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * Avro `long` as a JS number over every safe integer. avsc's own long stops at ±(2^53 − 2) (its varint code
 * works in doubles), so a stake of 2^53 − 1, which JSON and the API allow, failed validation at append and left
 * the bet unrecordable. This one goes through the 8-byte two's complement form with BigInt: exact for every
 * safe integer, and a long outside them (written by another producer) is refused on decode rather than rounded.
 */
const safeIntegerLong = types.LongType.__with({
  fromBuffer: (buffer: Buffer): number => {
    const value = buffer.readBigInt64LE();
    if (value > MAX || value < -MAX) throw new RangeError(`Avro long ${value} is not a safe integer`);
    return Number(value);
  },
  toBuffer: (value: number): Buffer => {
    const buffer = Buffer.alloc(8);
    buffer.writeBigInt64LE(BigInt(value));
    return buffer;
  },
  fromJSON: (value: unknown): number => Number(value),
  toJSON: (value: number): number => value,
  isValid: (value: unknown): boolean => typeof value === 'number' && Number.isSafeInteger(value),
  compare: (a: number, b: number): number => (a === b ? 0 : a < b ? -1 : 1),
});

/**
 * The options every Pitboss Avro type is built with (the outbox's validation, the registry codec, tests). A type
 * hook rather than a `registry` entry: avsc also records named types in the registry, so one shared registry
 * would make the second schema that names `pitboss.Money` a duplicate.
 */
export const AVRO_TYPE_OPTIONS = {
  typeHook: (schema: Schema): Type | undefined => (isLong(schema) ? safeIntegerLong : undefined),
};

// `"long"`, or `{"type": "long"}` with or without a logical type (timestamps are longs to us).
function isLong(schema: Schema): boolean {
  return (
    schema === 'long' ||
    (typeof schema === 'object' && !Array.isArray(schema) && (schema as { type?: unknown }).type === 'long')
  );
}

export function avroTypeOf(schema: Schema): Type {
  // A copy: avsc writes the named types it meets into the options object it is given.
  return Type.forSchema(schema, { ...AVRO_TYPE_OPTIONS });
}
