import { Root } from 'protobufjs';

import { BET_GATEWAY_PROTO_PATH } from '@pitboss/contracts';

import { assertWellFormed } from './strict-wire-format';

const root = new Root().loadSync(BET_GATEWAY_PROTO_PATH, { keepCase: true });
const getBet = root.lookupType('pitboss.gateway.v1.GetBetRequest');
const authorize = root.lookupType('pitboss.gateway.v1.AuthorizeBetRequest');
const bytes = (hex: string) => Buffer.from(hex.replace(/ /g, ''), 'hex');

describe(assertWellFormed.name, () => {
  it('accepts what protobufjs itself encodes, nested messages and optional fields included', () => {
    const message = authorize.encode({
      bet_id: 'b-1',
      amount: { minor_units: Number.MAX_SAFE_INTEGER, currency: 'EUR' },
      bonus_grant_id: '',
    });

    expect(() => assertWellFormed(authorize, message.finish())).not.toThrow();
  });

  it('accepts an empty message and unknown fields that are well formed (proto3 forward compatibility)', () => {
    expect(() => assertWellFormed(getBet, bytes(''))).not.toThrow();
    expect(() => assertWellFormed(getBet, bytes('0a 01 41  12 03 41 42 43  18 07'))).not.toThrow();
  });

  it.each([
    ['a string whose length runs past the end', '0a 05 41', /length of 5 runs past the end/],
    ['a known string field sent as fixed32', '0d 41 41 41 41', /bet_id: wire type 5 where 2 is expected/],
    ['a known string field sent as a varint', '08 05', /bet_id: wire type 0/],
    ['a string that is not UTF-8', '0a 02 c3 28', /utf-8/],
    ['a truncated varint', '18 ff', /index out of range/],
    ['field number 0', '02 00', /field number 0/],
  ])('refuses %s', (_case, hex, problem) => {
    expect(() => assertWellFormed(getBet, bytes(hex))).toThrow(problem);
  });

  it('checks inside nested messages: a Money whose currency runs past its own length', () => {
    // amount (7) of length 4: minor_units 1, then currency claiming 3 bytes where 1 is left in the Money.
    expect(() => assertWellFormed(authorize, bytes('3a 04 08 01 12 03 45 55 52'))).toThrow(/Money/);
  });
});
