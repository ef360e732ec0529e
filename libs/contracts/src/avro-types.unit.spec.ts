import { type Schema, Type } from 'avsc';

import { avroTypeOf } from './avro-types';

describe(avroTypeOf.name, () => {
  const schema = {
    type: 'record',
    name: 'Amount',
    fields: [{ name: 'minor_units', type: 'long' }],
  } satisfies Schema;
  const sut = avroTypeOf(schema);
  const avscDefault = Type.forSchema(schema);

  it.each([Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER])('round-trips the edge %d exactly', (value) => {
    expect(sut.isValid({ minor_units: value })).toBe(true);
    expect(sut.fromBuffer(sut.toBuffer({ minor_units: value }))).toEqual({ minor_units: value });
  });

  it.each([0, 1, -1, 63, 64, -65, 1_795_000_000_000, 2 ** 53 - 2, -(2 ** 53 - 1)])(
    'writes %d as the standard zig-zag varint, so any Avro reader decodes it',
    (value) => {
      expect(sut.toBuffer({ minor_units: value })).toEqual(zigzagVarint(BigInt(value)));
    },
  );

  it.each([0, 1, -65, 1_795_000_000_000, 2 ** 53 - 2])('reads what avsc itself wrote for %d', (value) => {
    expect(sut.fromBuffer(avscDefault.toBuffer({ minor_units: value }))).toEqual({ minor_units: value });
  });

  it.each([2 ** 53, 1.5, Number.NaN])('refuses %d, which no JS number carries exactly', (value) => {
    expect(sut.isValid({ minor_units: value })).toBe(false);
  });

  it('refuses to decode a long beyond the safe integers instead of rounding it', () => {
    // 2^53 + 1 written as a varint by hand: zigzag(2^53 + 1) = 2^54 + 2.
    const varint = zigzagVarint(2n ** 53n + 1n);

    expect(() => sut.fromBuffer(varint)).toThrow(/not a safe integer/);
  });
});

function zigzagVarint(value: bigint): Buffer {
  let zigzag = value >= 0n ? value << 1n : (-value << 1n) - 1n;
  const bytes: number[] = [];
  while (zigzag >= 0x80n) {
    bytes.push(Number((zigzag & 0x7fn) | 0x80n));
    zigzag >>= 7n;
  }
  bytes.push(Number(zigzag));
  return Buffer.from(bytes);
}

describe('AVRO_TYPE_OPTIONS', () => {
  it('builds several schemas that name the same record (every topic names pitboss.Money)', () => {
    const money = {
      type: 'record',
      name: 'pitboss.Money',
      fields: [{ name: 'minor_units', type: 'long' }],
    } satisfies Schema;

    expect(() => [avroTypeOf(money), avroTypeOf(money)]).not.toThrow();
  });

  it('reads timestamp longs with the same type', () => {
    const sut = avroTypeOf({
      type: 'record',
      name: 'At',
      fields: [{ name: 'occurred_at', type: { type: 'long', logicalType: 'timestamp-millis' } }],
    });

    expect(sut.isValid({ occurred_at: 1_795_000_000_000 })).toBe(true);
    expect(sut.isValid({ occurred_at: 2 ** 53 - 1 })).toBe(true);
  });
});
