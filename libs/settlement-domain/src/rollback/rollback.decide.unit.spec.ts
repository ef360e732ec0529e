import { rolledBackFacts, UNKNOWN_BET_FACTS } from '../bet-facts';
import { type RetryPolicy } from '../retry/retry-policy';
import { type RecordRollbackOutcome, type StartRollback } from './rollback.commands';
import { decideRollback } from './rollback.decide';
import { type RollbackEvent } from './rollback.events';
import { evolveRollback, initialRollbackState, rollbackDueAt } from './rollback.state';

const T0 = new Date('2026-01-01T00:00:00.000Z');
const at = (ms: number): Date => new Date(T0.getTime() + ms);
const retry: RetryPolicy = { baseMs: 200, maxMs: 60_000 };
const given = (events: readonly RollbackEvent[]) => events.reduce(evolveRollback, initialRollbackState());

const aStart = (overrides: Partial<StartRollback> = {}): StartRollback => ({
  type: 'StartRollback',
  betId: 'bet-1',
  amount: { minor_units: 500, currency: 'EUR' },
  reason: 'DEBIT_UNCERTAIN',
  requestedBy: 'SYSTEM',
  facts: rolledBackFacts(UNKNOWN_BET_FACTS),
  requestedEventId: '00000000-0000-4000-8000-000000000002',
  requestedAt: at(-10),
  now: T0,
  ...overrides,
});
const started = decideRollback(aStart(), initialRollbackState());
const attempt1: RollbackEvent = {
  type: 'rollback.attempt_started',
  data: { attempt: 1, started_at: T0.toISOString(), resumes_unfinished_attempt: false },
};
const record = (outcome: RecordRollbackOutcome['outcome'], now = at(100)): RecordRollbackOutcome => ({
  type: 'RecordRollbackOutcome',
  outcome,
  now,
  retry,
  random: () => 0.5,
});

describe(decideRollback.name, () => {
  const sut = decideRollback;

  it('starts the saga due at once, and ignores a repeated request', () => {
    expect(started.map((event) => event.type)).toEqual(['rollback.started']);
    expect(rollbackDueAt(given(started), T0)).toEqual(T0);
    expect(sut(aStart({ requestedEventId: 'another' }), given(started))).toEqual([]);
  });

  it('records the attempt before the wallet is called, and nothing while the circuit is open', () => {
    expect(sut({ type: 'BeginRollbackAttempt', now: T0, walletAvailable: true }, given(started))).toEqual([
      attempt1,
    ]);
    expect(sut({ type: 'BeginRollbackAttempt', now: T0, walletAvailable: false }, given(started))).toEqual(
      [],
    );
  });

  it.each(['rolled_back', 'not_found'] as const)('treats %s as a definitive success', (status) => {
    const events = sut(
      record({ kind: 'ok', value: { transactionId: 'rb-1', status } }),
      given([...started, attempt1]),
    );

    expect(events).toEqual([
      {
        type: 'rollback.confirmed',
        data: {
          attempt: 1,
          wallet_status: status,
          wallet_transaction_id: 'rb-1',
          confirmed_at: at(100).toISOString(),
        },
      },
      {
        type: 'bet.rolled_back',
        data: {
          bet_id: 'bet-1',
          amount: { minor_units: 500, currency: 'EUR' },
          reason: 'DEBIT_UNCERTAIN',
          ...rolledBackFacts(UNKNOWN_BET_FACTS),
        },
      },
    ]);
    expect(given([...started, attempt1, ...events]).status).toBe('rolled_back');
  });

  it("copies the bet's facts from the request into bet.rolled_back", () => {
    const facts = {
      game_id: 'starburst',
      game_type: 'slot',
      provider: 'netent',
      bonus_grant_id: 'grant-1',
      entitlement_id: null,
      funded_by: 'bonus',
      math_version: 'v3',
    };
    const history = sut(aStart({ facts }), initialRollbackState());

    const events = sut(
      record({ kind: 'ok', value: { transactionId: 'rb-1', status: 'rolled_back' } }),
      given([...history, attempt1]),
    );

    expect(events[1]?.data).toEqual({
      bet_id: 'bet-1',
      amount: { minor_units: 500, currency: 'EUR' },
      reason: 'DEBIT_UNCERTAIN',
      ...facts,
    });
  });

  it('fails without a money event when the wallet refuses', () => {
    const events = sut(
      record({ kind: 'rejected', code: 'INVALID_REQUEST', message: 'no' }),
      given([...started, attempt1]),
    );

    expect(events).toEqual([
      { type: 'rollback.refused', data: { attempt: 1, code: 'INVALID_REQUEST', message: 'no' } },
    ]);
    expect(given([...started, attempt1, ...events]).status).toBe('failed');
    expect(rollbackDueAt(given([...started, attempt1, ...events]), T0)).toBeNull();
  });

  it('retries an uncertain answer forever, however late it is', () => {
    const muchLater = at(30 * 24 * 3_600_000);

    const events = sut(
      record({ kind: 'uncertain', cause: 'timeout', delivered: true }, muchLater),
      given([...started, attempt1]),
    );

    expect(events).toEqual([
      {
        type: 'rollback.attempt_failed',
        data: {
          attempt: 1,
          cause: 'timeout',
          delivered: true,
          next_attempt_at: new Date(muchLater.getTime() + 100).toISOString(),
        },
      },
    ]);
  });
});
