import { type EventEnvelope } from '@pitboss/contracts';

import { roundFactOf } from './round-facts';

const envelope = (event_type: string, payload: Record<string, unknown>): EventEnvelope => ({
  event_id: 'e1',
  event_type,
  event_version: 1,
  occurred_at: 1_000,
  tenant_id: 'tenant-a',
  region: 'eu-west-1',
  player_id: 'p1',
  session_id: 's1',
  round_id: 'r1',
  trace_id: null,
  causation_id: null,
  idempotency_key: null,
  payload,
});

const eur = (minor_units: number) => ({ minor_units, currency: 'EUR' });

describe(roundFactOf.name, () => {
  const sut = roundFactOf;

  it('reads a bet.authorized, its country and math version included, keyed by tenant and bet', () => {
    const payload = {
      bet_id: 'b1',
      game_id: 'g',
      game_type: 'slot',
      amount: eur(100),
      math_version: 'g-1',
      country: 'SE',
    };
    expect(sut(envelope('bet.authorized', payload))).toEqual({
      kind: 'authorized',
      at: 1_000,
      bet: 'tenant-a:b1',
      game: 'g',
      currency: 'EUR',
      stake: 100,
      mathVersion: 'g-1',
      country: 'SE',
    });
    const older = { bet_id: 'b1', game_id: 'g', game_type: 'slot', amount: eur(100) };
    expect(sut(envelope('bet.authorized', older))).toMatchObject({ mathVersion: null, country: null });
  });

  it('reads rejections, settlements and rollbacks, and ignores the types the NOC does not show', () => {
    expect(
      sut(envelope('bet.rejected', { bet_id: 'b1', game_id: 'g', amount: eur(1), reason_code: 'X' })),
    ).toEqual({
      kind: 'rejected',
      at: 1_000,
      game: 'g',
      reasonCode: 'X',
    });
    expect(sut(envelope('bet.settled', { bet_id: 'b1', win: eur(250) }))).toEqual({
      kind: 'settled',
      at: 1_000,
      bet: 'tenant-a:b1',
      win: 250,
    });
    expect(sut(envelope('bet.rolled_back', { bet_id: 'b1', amount: eur(1), reason: 'r' }))).toEqual({
      kind: 'rolled_back',
      at: 1_000,
      bet: 'tenant-a:b1',
    });
    expect(sut(envelope('settlement.requested', { bet_id: 'b1', win: eur(1) }))).toBeNull();
  });
});
