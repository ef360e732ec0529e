import { type BetSettled, type EventEnvelope } from '@pitboss/contracts';

import { expectedMovementOf } from './expected-movement.mapper';

const settledEnvelope = (overrides: Partial<BetSettled>): EventEnvelope =>
  ({
    event_id: '00000000-0000-4000-8000-000000000001',
    event_type: 'bet.settled',
    tenant_id: 't-1',
    player_id: 'player-1',
    occurred_at: '2026-01-01T00:00:00.000Z',
    payload: {
      bet_id: 'bet-1',
      win: { minor_units: 1_500, currency: 'EUR' },
      wallet_transaction_id: 'tx-1',
      stake: { minor_units: 100, currency: 'EUR' },
      game_id: 'starburst',
      game_type: 'slot',
      provider: null,
      bonus_grant_id: null,
      entitlement_id: null,
      funded_by: 'cash',
      math_version: null,
      credited_as: 'cash',
      ...overrides,
    },
  }) as unknown as EventEnvelope;

describe('expectedMovementOf bet.settled', () => {
  it('given a win credited in cash, when mirrored, then the credit by the bet credit key is expected', () => {
    expect(expectedMovementOf(settledEnvelope({}))).toMatchObject({
      transactionKey: 'bet:t-1:bet-1:credit',
      kind: 'credit',
      minorUnits: 1_500,
      currency: 'EUR',
      subjectId: 'bet-1',
      gameId: 'starburst',
    });
  });

  it('given a zero win settled without a wallet call, when mirrored, then no movement is expected', () => {
    const zero = settledEnvelope({ win: { minor_units: 0, currency: 'EUR' }, wallet_transaction_id: null });
    expect(expectedMovementOf(zero)).toBeNull();
  });

  it('given an entitlement win credited as a bonus grant, when mirrored, then no cash credit is expected', () => {
    const granted = settledEnvelope({
      wallet_transaction_id: null,
      entitlement_id: 'ent-1',
      funded_by: 'entitlement',
      credited_as: 'bonus_grant',
    });
    expect(expectedMovementOf(granted)).toBeNull();
  });
});
