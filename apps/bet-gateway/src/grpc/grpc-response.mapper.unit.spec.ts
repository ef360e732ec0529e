import { type BetView } from '../bets/bet-queries';
import {
  authorizeBetResponseOf,
  betStatusResponseOf,
  betViewMessageOf,
  moneyOf,
  openSessionResponseOf,
  roundViewMessageOf,
} from './grpc-response.mapper';

function betView(overrides: Partial<BetView> = {}): BetView {
  return {
    bet_id: 'bet-1',
    round_id: 'round-1',
    session_id: 'session-1',
    player_id: 'player-1',
    game_id: 'slots-1',
    game_type: 'slot',
    amount: { minor_units: 250, currency: 'EUR' },
    win: null,
    bonus_grant_id: null,
    status: 'authorized',
    history: [
      {
        type: 'bet.authorized',
        occurred_at: '2026-01-01T00:00:00.000Z',
        data: { bet_id: 'bet-1', amount: { minor_units: 250, currency: 'EUR' } },
      },
    ],
    ...overrides,
  };
}

describe(betViewMessageOf.name, () => {
  it('writes each history entry’s data as a JSON string and leaves absent optionals out', () => {
    const sut = betViewMessageOf(betView());

    expect(sut).toEqual({
      bet_id: 'bet-1',
      round_id: 'round-1',
      session_id: 'session-1',
      player_id: 'player-1',
      game_id: 'slots-1',
      game_type: 'slot',
      amount: { minor_units: 250, currency: 'EUR' },
      status: 'authorized',
      history: [
        {
          type: 'bet.authorized',
          occurred_at: '2026-01-01T00:00:00.000Z',
          data_json: '{"bet_id":"bet-1","amount":{"minor_units":250,"currency":"EUR"}}',
        },
      ],
    });
  });

  it('includes the win and bonus grant when the bet has them', () => {
    const sut = betViewMessageOf(
      betView({ win: { minor_units: 0, currency: 'EUR' }, bonus_grant_id: 'grant-1', status: 'settled' }),
    );

    expect(sut).toMatchObject({ win: { minor_units: 0, currency: 'EUR' }, bonus_grant_id: 'grant-1' });
  });

  it('turns unknown terms (a rollback that arrived first) into proto3 defaults', () => {
    const sut = betViewMessageOf(
      betView({
        round_id: null,
        session_id: null,
        player_id: null,
        game_id: null,
        game_type: null,
        amount: null,
      }),
    );

    expect(sut).toMatchObject({ round_id: '', session_id: '', player_id: '', game_id: '', game_type: '' });
    expect(sut).not.toHaveProperty('amount');
  });
});

describe(roundViewMessageOf.name, () => {
  it('maps every bet of the round', () => {
    const sut = roundViewMessageOf({ round_id: 'round-1', bets: [betView(), betView({ bet_id: 'bet-2' })] });

    expect(sut.round_id).toBe('round-1');
    expect(sut.bets.map((bet) => bet.bet_id)).toEqual(['bet-1', 'bet-2']);
  });
});

describe('command answer bodies', () => {
  it(`${authorizeBetResponseOf.name} keeps the balance, and leaves an unknown one out`, () => {
    const balance = { minor_units: 9_750, currency: 'EUR' };

    expect(authorizeBetResponseOf({ status: 'authorized', bet_id: 'bet-1', balance })).toEqual({
      status: 'authorized',
      bet_id: 'bet-1',
      balance,
    });
    expect(authorizeBetResponseOf({ status: 'authorized', bet_id: 'bet-1', balance: null })).toEqual({
      status: 'authorized',
      bet_id: 'bet-1',
    });
  });

  it(`${betStatusResponseOf.name} and ${openSessionResponseOf.name} pick their fields`, () => {
    expect(betStatusResponseOf({ status: 'pending_credit', bet_id: 'bet-1', extra: 1 })).toEqual({
      status: 'pending_credit',
      bet_id: 'bet-1',
    });
    expect(openSessionResponseOf({ session_id: 's', expires_at: '2026-01-01T00:30:00.000Z' })).toEqual({
      session_id: 's',
      expires_at: '2026-01-01T00:30:00.000Z',
    });
  });

  it(`${moneyOf.name} refuses to invent an amount`, () => {
    expect(moneyOf({ minor_units: 1.5, currency: 'EUR' })).toBeUndefined();
    expect(moneyOf({ minor_units: '5', currency: 'EUR' })).toBeUndefined();
    expect(moneyOf(null)).toBeUndefined();
  });
});
