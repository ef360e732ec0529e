import { type ConversionCheck, conversionHoldReasons, decideGrant, type GrantCommand } from './decide-grant';
import { type GrantEvent, type GrantIssuedData } from './grant-events';
import { evolveGrant, initialGrantState, type GrantState } from './grant-state';

const now = new Date('2026-03-01T12:00:00.000Z');
const eur = (minor_units: number) => ({ minor_units, currency: 'EUR' });

const issued = (overrides: Partial<GrantIssuedData> = {}): GrantIssuedData => ({
  grant_id: 'g1',
  player_id: 'p1',
  trigger: 'deposit',
  trigger_ref: 'd1',
  offer_id: 'o1',
  offer_version: 1,
  amount: eur(500),
  credit_balance: 'bonus',
  wagering_required: eur(5_000),
  wagering_base: 'bonus',
  contribution_schema_id: null,
  contribution_schema_version: null,
  max_bet: eur(200),
  max_win: null,
  expires_at: '2026-03-31T12:00:00.000Z',
  wagering_ends_at: '2026-03-31T12:00:00.000Z',
  sticky: true,
  excluded_games: [],
  conflict_group: null,
  ...overrides,
});
const active: GrantEvent[] = [
  { type: 'grant.issued', data: issued() },
  { type: 'grant.wallet_call_started', data: { grant_id: 'g1', step: 'credit', attempt: 1, at: '' } },
  { type: 'bonus.issued', data: {} },
];
const given = (events: GrantEvent[]): GrantState =>
  events.reduce((state, event) => evolveGrant(state, event, now.toISOString()), initialGrantState());
const when = (command: GrantCommand, state: GrantState) => decideGrant(command, state);

const check = (overrides: Partial<ConversionCheck> = {}): ConversionCheck => ({
  convertible: eur(400),
  threshold_minor: 1_000,
  velocity: 'allowed',
  change_request_id: 'cr1',
  ...overrides,
});
const complete = (conversion?: ConversionCheck): GrantCommand => ({
  type: 'StartEnding',
  ending: { kind: 'conversion', completing_bet_id: 'b9' },
  now,
  ...(conversion ? { conversion } : {}),
});
const held: GrantEvent = {
  type: 'grant.conversion_held',
  data: {
    grant_id: 'g1',
    change_request_id: 'cr1',
    completing_bet_id: 'b9',
    convertible: eur(4_000),
    reasons: ['above_threshold'],
  },
};
const decide = (approve: boolean): GrantCommand => ({
  type: 'DecideHeldConversion',
  approve,
  change_request_id: 'cr1',
  note: 'too much',
});

describe('held conversions (four-eyes and conversion velocity)', () => {
  it('given an active grant, when wagering completes within the amount and the velocity, then it converts at once', () => {
    expect(when(complete(check()), given(active))).toEqual([
      {
        type: 'grant.ending_started',
        data: { grant_id: 'g1', ending: { kind: 'conversion', completing_bet_id: 'b9' } },
      },
    ]);
  });

  it('given an active grant, when the amount to convert is above the threshold, then the conversion is held', () => {
    const events = when(complete(check({ convertible: eur(1_001) })), given(active));
    expect(events).toEqual([
      {
        type: 'grant.conversion_held',
        data: {
          grant_id: 'g1',
          change_request_id: 'cr1',
          completing_bet_id: 'b9',
          convertible: eur(1_001),
          reasons: ['above_threshold'],
        },
      },
    ]);
    const state = given([...active, ...events]);
    expect(state.status).toBe('conversion_pending_approval');
    // The expiry timer stays armed while the conversion waits.
    expect(state.due_at).toBe('2026-03-31T12:00:00.000Z');
  });

  it('holds at the velocity limit, names both reasons when both apply, and ignores the threshold when none is set', () => {
    expect(conversionHoldReasons(check({ velocity: 'limit' }))).toEqual(['conversion_velocity']);
    expect(conversionHoldReasons(check({ velocity: 'limit', convertible: eur(5_000) }))).toEqual([
      'above_threshold',
      'conversion_velocity',
    ]);
    expect(conversionHoldReasons(check({ threshold_minor: null, convertible: eur(10_000_000) }))).toEqual([]);
    expect(conversionHoldReasons(check({ convertible: eur(1_000) }))).toEqual([]);
  });

  it('given a held conversion, when wagering.completed is redelivered, then nothing is added', () => {
    expect(when(complete(check()), given([...active, held]))).toEqual([]);
  });

  it('given a held conversion, when it is approved, then the usual conversion ending starts (convert by key)', () => {
    const events = when(decide(true), given([...active, held]));
    expect(events).toEqual([
      {
        type: 'grant.ending_started',
        data: { grant_id: 'g1', ending: { kind: 'conversion', completing_bet_id: 'b9' } },
      },
    ]);
    expect(given([...active, held, ...events])).toMatchObject({ status: 'ending', step: 'convert' });
  });

  it('given a held conversion, when it is rejected, then the bonus is forfeited: bonus.revoked + bonus.forfeited cause conversion_rejected', () => {
    const events = when(decide(false), given([...active, held]));
    expect(events).toEqual([
      {
        type: 'grant.ending_started',
        data: {
          grant_id: 'g1',
          ending: { kind: 'conversion_rejected', change_request_id: 'cr1', note: 'too much' },
        },
      },
    ]);
    const ending = given([...active, held, ...events]);
    expect(ending).toMatchObject({ status: 'ending', step: 'forfeit' });
    const started: GrantEvent = {
      type: 'grant.wallet_call_started',
      data: { grant_id: 'g1', step: 'forfeit', attempt: 1, at: '' },
    };
    const done = when(
      {
        type: 'RecordWalletOutcome',
        step: 'forfeit',
        outcome: { kind: 'ok', transactionId: 'f', forfeited: eur(4_000) },
        now,
        retry: { creditMaxAttempts: 2, baseMs: 1, maxMs: 1 },
        random: () => 0.5,
      },
      given([...active, held, ...events, started]),
    );
    expect(done).toEqual([
      {
        type: 'bonus.revoked',
        data: { grant_id: 'g1', reason: 'conversion_rejected (change request cr1): too much' },
      },
      {
        type: 'bonus.forfeited',
        data: {
          grant_id: 'g1',
          amount: eur(4_000),
          cause: 'conversion_rejected',
          wallet_transaction_id: 'f',
        },
      },
    ]);
  });

  it('given a held conversion, when a revoke or the expiry comes first, then it wins and a later decision adds nothing', () => {
    const revoke: GrantCommand = {
      type: 'StartEnding',
      ending: { kind: 'revocation', reason: 'terms_breach', note: '' },
      now,
    };
    const revoked = when(revoke, given([...active, held]));
    expect(revoked.map((event) => event.type)).toEqual(['grant.ending_started']);
    expect(when(decide(true), given([...active, held, ...revoked]))).toEqual([]);
    expect(when(decide(false), given([...active, held, ...revoked]))).toEqual([]);

    const expiry: GrantCommand = {
      type: 'StartEnding',
      ending: { kind: 'expiry' },
      now: new Date('2026-04-01T00:00:00.000Z'),
    };
    expect(when(expiry, given([...active, held]))).toEqual([
      { type: 'grant.ending_started', data: { grant_id: 'g1', ending: { kind: 'expiry' } } },
    ]);
    expect(when({ ...expiry, now }, given([...active, held]))).toEqual([]);
  });

  it('given an active grant, when no decision is pending, then an approval or rejection adds nothing', () => {
    expect(when(decide(true), given(active))).toEqual([]);
    expect(
      when(
        {
          type: 'StartEnding',
          ending: { kind: 'conversion_rejected', change_request_id: 'x', note: '' },
          now,
        },
        given(active),
      ),
    ).toEqual([]);
  });
});
