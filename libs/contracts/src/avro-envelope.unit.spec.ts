import { Type } from 'avsc';

import { fromAvroValue, toAvroValue } from './avro-envelope';
import { type EventEnvelope } from './envelope';
import { TOPIC_VALUE_SCHEMAS } from './generated';

const settled: EventEnvelope = {
  event_id: '6f1c2b9e-1d7a-4f0e-9a51-0c8f3e2d4b11',
  event_type: 'bet.settled',
  event_version: 1,
  occurred_at: 1_795_000_000_000,
  tenant_id: 'tenant-a',
  region: 'eu-1',
  player_id: 'player-1',
  session_id: null,
  round_id: 'round-9',
  trace_id: null,
  causation_id: null,
  idempotency_key: 'settle-bet-1',
  payload: {
    bet_id: 'bet-1',
    win: { minor_units: 1_250, currency: 'EUR' },
    wallet_transaction_id: null,
    stake: { minor_units: 500, currency: 'EUR' },
    game_id: 'book-of-ra',
    game_type: 'slot',
    provider: 'novomatic',
    bonus_grant_id: null,
    entitlement_id: null,
    funded_by: 'cash',
    math_version: '96.1',
    credited_as: 'cash',
  },
};

describe(toAvroValue.name, () => {
  const sut = Type.forSchema(TOPIC_VALUE_SCHEMAS['rgs.settlements.v1']!);

  it('round-trips an envelope through the topic schema unchanged', () => {
    const decoded = sut.fromBuffer(sut.toBuffer(toAvroValue(settled, sut))) as Record<string, unknown>;

    expect(fromAvroValue(decoded)).toEqual(settled);
  });

  it('wraps the payload in its branch so avsc can tell the records apart', () => {
    expect(toAvroValue(settled, sut)['payload']).toEqual({
      'pitboss.rgs.settlements.v1.BetSettled': settled.payload,
    });
  });

  it('is refused by the schema when an amount is not an integer', () => {
    const float = {
      ...settled,
      payload: { ...settled.payload, win: { minor_units: 12.5, currency: 'EUR' } },
    };

    expect(sut.isValid(toAvroValue(float, sut))).toBe(false);
  });
});
