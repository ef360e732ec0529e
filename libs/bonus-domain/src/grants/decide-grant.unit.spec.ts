import { decideGrant, type GrantCommand, type GrantWalletOutcome } from './decide-grant';
import { type GrantEvent, type GrantIssuedData, type WalletStep } from './grant-events';
import { evolveGrant, initialGrantState, type GrantState } from './grant-state';

const now = new Date('2026-03-01T12:00:00.000Z');
const eur = (minor_units: number) => ({ minor_units, currency: 'EUR' });
const retry = { creditMaxAttempts: 2, baseMs: 100, maxMs: 1_000 };

function issued(overrides: Partial<GrantIssuedData> = {}): GrantIssuedData {
  return {
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
    conflict_group: 'welcome',
    ...overrides,
  };
}

const given = (events: GrantEvent[]): GrantState =>
  events.reduce((state, event) => evolveGrant(state, event, now.toISOString()), initialGrantState());
const when = (command: GrantCommand, state: GrantState) => decideGrant(command, state);
const types = (events: GrantEvent[]) => events.map((event) => event.type);

const begin: GrantCommand = { type: 'BeginWalletCall', now };
const outcome = (step: WalletStep, result: GrantWalletOutcome): GrantCommand => ({
  type: 'RecordWalletOutcome',
  step,
  outcome: result,
  now,
  retry,
  random: () => 0.5,
});
const started = (step: WalletStep, attempt = 1): GrantEvent => ({
  type: 'grant.wallet_call_started',
  data: { grant_id: 'g1', step, attempt, at: now.toISOString() },
});
const issuedEvent = (grant = issued()): GrantEvent => ({ type: 'grant.issued', data: grant });
const active = (grant = issued()): GrantEvent[] => [
  issuedEvent(grant),
  started('credit'),
  { type: 'bonus.issued', data: {} },
];

describe(decideGrant.name, () => {
  it('issues once: a repeated Issue adds nothing', () => {
    expect(types(when({ type: 'Issue', grant: issued() }, given([])))).toEqual(['grant.issued']);
    expect(when({ type: 'Issue', grant: issued() }, given([issuedEvent()]))).toEqual([]);
  });

  it('records the attempt before the credit, then bonus.issued with the wagering terms', () => {
    const state = given([issuedEvent()]);
    expect(when(begin, state)).toEqual([started('credit')]);
    const events = when(
      outcome('credit', { kind: 'ok', transactionId: 'k' }),
      given([issuedEvent(), started('credit')]),
    );
    expect(events).toEqual([
      {
        type: 'bonus.issued',
        data: expect.objectContaining({
          grant_id: 'g1',
          wagering_required: eur(5_000),
          max_bet: eur(200),
          expires_at: Date.parse('2026-03-31T12:00:00.000Z'),
          sticky: true,
        }),
      },
    ]);
  });

  it('aborts on a definitive refusal of the credit', () => {
    const events = when(
      outcome('credit', { kind: 'rejected', code: 'PLAYER_BLOCKED', message: 'blocked' }),
      given([issuedEvent(), started('credit')]),
    );
    expect(types(events)).toEqual(['grant.credit_refused', 'bonus.aborted']);
  });

  it('retries an uncertain credit with backoff, then past the budget reverses it by key and aborts', () => {
    const first = when(
      outcome('credit', { kind: 'uncertain', cause: 'timeout' }),
      given([issuedEvent(), started('credit')]),
    );
    expect(first).toEqual([
      {
        type: 'grant.wallet_call_uncertain',
        data: expect.objectContaining({ attempt: 1, next_attempt_at: '2026-03-01T12:00:00.075Z' }),
      },
    ]);
    const history = [issuedEvent(), started('credit'), ...first, started('credit', 2)];
    const second = when(outcome('credit', { kind: 'uncertain', cause: 'timeout' }), given(history));
    expect(types(second)).toEqual(['grant.credit_reversal_requested']);
    const reversing = [...history, ...second];
    expect(when(begin, given(reversing))).toEqual([started('credit_reversal')]);
    const done = when(
      outcome('credit_reversal', { kind: 'ok', transactionId: 'r', status: 'not_found' }),
      given([...reversing, started('credit_reversal')]),
    );
    expect(types(done)).toEqual(['grant.credit_reversed', 'bonus.aborted']);
  });

  it('resumes an attempt left in flight by a crash under the same attempt number', () => {
    expect(when(begin, given([issuedEvent(), started('credit')]))).toEqual([started('credit', 1)]);
  });

  it('lets exactly one ending win: a revoke after a conversion started adds nothing', () => {
    const conversion: GrantCommand = {
      type: 'StartEnding',
      ending: { kind: 'conversion', completing_bet_id: 'b9' },
      now,
    };
    const converting = [...active(), ...when(conversion, given(active()))];
    expect(types(converting)).toContain('grant.ending_started');
    const revoke: GrantCommand = {
      type: 'StartEnding',
      ending: { kind: 'revocation', reason: 'manual', note: '' },
      now,
    };
    expect(when(revoke, given(converting))).toEqual([]);
    expect(
      when(
        { type: 'StartEnding', ending: { kind: 'expiry' }, now: new Date('2027-01-01') },
        given(converting),
      ),
    ).toEqual([]);
  });

  it('does not expire a grant before expires_at', () => {
    expect(when({ type: 'StartEnding', ending: { kind: 'expiry' }, now }, given(active()))).toEqual([]);
  });

  it('converts capped at max win and forfeits the excess: bonus.converted + bonus.forfeited max_win_cap', () => {
    const grant = issued({ max_win: eur(300) });
    const history = [
      ...active(grant),
      {
        type: 'grant.ending_started',
        data: { grant_id: 'g1', ending: { kind: 'conversion', completing_bet_id: 'b' } },
      },
    ] as GrantEvent[];
    expect(when(begin, given(history))).toEqual([started('convert')]);
    const converted = when(
      outcome('convert', { kind: 'ok', transactionId: 'c', converted: eur(300) }),
      given([...history, started('convert')]),
    );
    expect(types(converted)).toEqual(['grant.converted_in_wallet']);
    const after = [...history, started('convert'), ...converted];
    expect(when(begin, given(after))).toEqual([started('forfeit')]);
    const ended = when(
      outcome('forfeit', { kind: 'ok', transactionId: 'f', forfeited: eur(450) }),
      given([...after, started('forfeit')]),
    );
    expect(ended).toEqual([
      { type: 'bonus.converted', data: { grant_id: 'g1', converted: eur(300), wallet_transaction_id: 'c' } },
      {
        type: 'bonus.forfeited',
        data: { grant_id: 'g1', amount: eur(450), cause: 'max_win_cap', wallet_transaction_id: 'f' },
      },
    ]);
  });

  it('revokes by forfeiting what is left: bonus.revoked + bonus.forfeited revoked', () => {
    const history = [
      ...active(),
      {
        type: 'grant.ending_started',
        data: { grant_id: 'g1', ending: { kind: 'revocation', reason: 'fraud_velocity', note: '' } },
      },
      started('forfeit'),
    ] as GrantEvent[];
    const ended = when(
      outcome('forfeit', { kind: 'ok', transactionId: 'f', forfeited: eur(120) }),
      given(history),
    );
    expect(ended).toEqual([
      { type: 'bonus.revoked', data: { grant_id: 'g1', reason: 'fraud_velocity' } },
      {
        type: 'bonus.forfeited',
        data: { grant_id: 'g1', amount: eur(120), cause: 'revoked', wallet_transaction_id: 'f' },
      },
    ]);
  });

  it('reverses the credit of a grant revoked before its credit was confirmed', () => {
    const events = when(
      { type: 'StartEnding', ending: { kind: 'revocation', reason: 'self_exclusion', note: '' }, now },
      given([issuedEvent(), started('credit')]),
    );
    expect(types(events)).toEqual(['grant.credit_reversal_requested']);
    // The credit's late answer is then ignored: the step in flight is the reversal's.
    const late = when(
      outcome('credit', { kind: 'ok', transactionId: 'k' }),
      given([issuedEvent(), started('credit'), ...events, started('credit_reversal')]),
    );
    expect(late).toEqual([]);
  });
});
