import { type RecordCreditOutcome } from './settlement.commands';
import { SettlementError } from './settlement.error';
import { decideSettlement } from './settlement.decide';
import { type SettlementEvent } from './settlement.events';
import {
  aStart,
  at,
  attemptFailed,
  attemptStarted,
  given,
  maxJitter,
  recordedFacts,
  retry,
  started,
  T0,
} from './settlement.fixtures';
import { settlementDueAt } from './settlement.state';

describe(decideSettlement.name, () => {
  const sut = decideSettlement;

  describe('StartSettlement', () => {
    it('starts the saga with a deadline one budget after now, due at once', () => {
      const events = sut(aStart(), given([]));

      expect(events).toEqual([started]);
      expect(given(events)).toMatchObject({ status: 'started', attempts: 0 });
      expect(settlementDueAt(given(events), T0)).toEqual(T0);
    });

    describe("the bet's game, stake and math version", () => {
      it("records the bet's game and stake and the request's math version", () => {
        expect(given(sut(aStart(), given([])))).toMatchObject({
          gameId: 'starburst',
          stake: { minor_units: 1_000, currency: 'EUR' },
          mathVersion: 'v2',
        });
      });

      it("given a request without a math version, keeps the bet's own", () => {
        expect(given(sut(aStart({ mathVersion: null }), given([]))).mathVersion).toBe('v1');
      });

      it('given a bet settle-worker never saw, records them as null', () => {
        expect(given(sut(aStart({ bet: null, mathVersion: null }), given([])))).toMatchObject({
          gameId: null,
          stake: null,
          mathVersion: null,
        });
      });

      it("given a request that carries the bet's facts, copies them all into bet.settled", () => {
        const facts = {
          stake: { minor_units: 200, currency: 'EUR' },
          game_id: 'book-of-dead',
          game_type: 'slot',
          provider: 'playngo',
          bonus_grant_id: 'grant-1',
          entitlement_id: null,
          funded_by: 'bonus',
          math_version: 'v9',
        };
        const history = sut(aStart({ facts, bet: null, mathVersion: 'v9' }), given([]));
        const attempt = sut({ type: 'BeginCreditAttempt', now: T0, walletAvailable: true }, given(history));

        const events = sut(
          {
            type: 'RecordCreditOutcome',
            outcome: { kind: 'ok', value: { transactionId: 'tx-1' } },
            now: at(10),
            retry,
            random: maxJitter,
          },
          given([...history, ...attempt]),
        );

        expect(events[1]?.data).toEqual({
          bet_id: 'bet-1',
          win: { minor_units: 1_500, currency: 'EUR' },
          wallet_transaction_id: 'tx-1',
          ...facts,
          credited_as: 'cash',
        });
        expect(given(history)).toMatchObject({ gameId: 'book-of-dead', stake: facts.stake });
      });

      it("given a request without facts, fills the game and stake from the bet's bet.authorized", () => {
        const events = sut(
          aStart({ win: { minor_units: 0, currency: 'EUR' }, creditZeroWin: false }),
          given([]),
        );

        expect(events[2]?.data).toMatchObject({
          game_id: 'starburst',
          stake: { minor_units: 1_000, currency: 'EUR' },
          math_version: 'v2',
          provider: null,
          funded_by: null,
        });
      });

      it('given a stream started before they were recorded, folds them to null', () => {
        const older: SettlementEvent = {
          type: 'settlement.started',
          data: {
            bet_id: 'bet-1',
            win: { minor_units: 1_500, currency: 'EUR' },
            requested_event_id: '00000000-0000-4000-8000-000000000001',
            requested_at: at(-1_000).toISOString(),
            started_at: T0.toISOString(),
            deadline_at: at(60_000).toISOString(),
          },
        };

        expect(given([older])).toMatchObject({
          status: 'started',
          gameId: null,
          stake: null,
          mathVersion: null,
        });
      });
    });

    describe('a zero win', () => {
      const zero = { minor_units: 0, currency: 'EUR' };

      it('given a tenant whose wallet takes zero credits, starts a credit saga due at once', () => {
        const events = sut(aStart({ win: zero, creditZeroWin: true }), given([]));

        expect(events.map((event) => event.type)).toEqual(['settlement.started']);
        expect(given(events)).toMatchObject({ status: 'started', win: zero, attempts: 0 });
        expect(settlementDueAt(given(events), T0)).toEqual(T0);
      });

      it('given a tenant whose wallet takes zero credits, credits 0 and settles with the wallet transaction', () => {
        const history = sut(aStart({ win: zero, creditZeroWin: true }), given([]));
        const attempt = sut({ type: 'BeginCreditAttempt', now: T0, walletAvailable: true }, given(history));

        const events = sut(
          {
            type: 'RecordCreditOutcome',
            outcome: { kind: 'ok', value: { transactionId: 'bet:t:bet-1:credit' } },
            now: at(10),
            retry,
            random: maxJitter,
          },
          given([...history, ...attempt]),
        );

        expect(attempt).toEqual([attemptStarted(1)]);
        expect(events[1]).toEqual({
          type: 'bet.settled',
          data: {
            bet_id: 'bet-1',
            win: zero,
            wallet_transaction_id: 'bet:t:bet-1:credit',
            ...recordedFacts,
            credited_as: 'cash',
          },
        });
        expect(given([...history, ...attempt, ...events]).status).toBe('credited');
      });

      it('given a tenant whose wallet takes no zero credits, settles at once without a wallet call', () => {
        const events = sut(aStart({ win: zero, creditZeroWin: false }), given([]));

        expect(events.map((event) => event.type)).toEqual([
          'settlement.started',
          'settlement.credit_confirmed',
          'bet.settled',
        ]);
        expect(events[1]?.data).toMatchObject({ attempt: 0, wallet_transaction_id: null });
        expect(events[2]?.data).toEqual({
          bet_id: 'bet-1',
          win: zero,
          wallet_transaction_id: null,
          ...recordedFacts,
          credited_as: 'cash',
        });
        expect(given(events).status).toBe('credited');
        expect(settlementDueAt(given(events), T0)).toBeNull();
      });

      it('records nothing for a redelivered zero-win request once its credit saga started', () => {
        const history = sut(aStart({ win: zero, creditZeroWin: true }), given([]));

        expect(sut(aStart({ win: zero, creditZeroWin: true }), given(history))).toEqual([]);
      });
    });

    it('starts a credit saga for a win above zero whatever the zero-win setting', () => {
      expect(sut(aStart({ creditZeroWin: false }), given([]))).toEqual([started]);
    });

    it('records nothing for a repeated request with the same win', () => {
      expect(sut(aStart({ requestedEventId: 'another' }), given([started]))).toEqual([]);
    });

    it('records a conflict, and changes nothing, for a repeated request with another win', () => {
      const win = { minor_units: 9, currency: 'EUR' };

      const events = sut(aStart({ requestedEventId: 'another', win }), given([started]));

      expect(events).toEqual([
        { type: 'settlement.request_conflicted', data: { requested_event_id: 'another', win } },
      ]);
      expect(given([started, ...events])).toEqual(given([started]));
    });

    it('refuses a negative win', () => {
      expect(() => sut(aStart({ win: { minor_units: -1, currency: 'EUR' } }), given([]))).toThrow(
        SettlementError,
      );
    });
  });

  describe('BeginCreditAttempt', () => {
    it('records attempt 1 before the wallet is called', () => {
      const events = sut({ type: 'BeginCreditAttempt', now: T0, walletAvailable: true }, given([started]));

      expect(events).toEqual([attemptStarted(1)]);
      expect(given([started, ...events])).toMatchObject({
        status: 'settled_pending_credit',
        attemptInFlight: true,
      });
    });

    it('resumes an attempt whose outcome was never recorded as a new attempt with the same key', () => {
      const events = sut(
        { type: 'BeginCreditAttempt', now: at(20_000), walletAvailable: true },
        given([started, attemptStarted(1)]),
      );

      expect(events).toEqual([
        {
          type: 'settlement.credit_attempt_started',
          data: { attempt: 2, started_at: at(20_000).toISOString(), resumes_unfinished_attempt: true },
        },
      ]);
    });

    it('records nothing while the wallet circuit is open and the budget lasts', () => {
      expect(sut({ type: 'BeginCreditAttempt', now: T0, walletAvailable: false }, given([started]))).toEqual(
        [],
      );
    });

    it('compensates once the budget is exhausted, even with the circuit open', () => {
      const events = sut(
        { type: 'BeginCreditAttempt', now: at(60_000), walletAvailable: false },
        given([started, attemptStarted(1), attemptFailed(1, 60_000)]),
      );

      expect(events).toEqual([
        {
          type: 'settlement.compensated',
          data: {
            bet_id: 'bet-1',
            win: { minor_units: 1_500, currency: 'EUR' },
            reason: 'CREDIT_BUDGET_EXHAUSTED',
          },
        },
      ]);
    });

    it('does nothing for a final saga', () => {
      const credited = given([
        started,
        attemptStarted(1),
        ...sut(
          {
            type: 'RecordCreditOutcome',
            outcome: { kind: 'ok', value: { transactionId: 'tx-1' } },
            now: T0,
            retry,
            random: maxJitter,
          },
          given([started, attemptStarted(1)]),
        ),
      ]);

      expect(sut({ type: 'BeginCreditAttempt', now: T0, walletAvailable: true }, credited)).toEqual([]);
    });
  });

  describe('RecordCreditOutcome', () => {
    const record = (outcome: RecordCreditOutcome['outcome']): RecordCreditOutcome => ({
      type: 'RecordCreditOutcome',
      outcome,
      now: at(1_000),
      retry,
      random: maxJitter,
    });

    it('confirms the credit and settles the bet with the wallet transaction id', () => {
      const events = sut(
        record({ kind: 'ok', value: { transactionId: 'tx-1' } }),
        given([started, attemptStarted(1)]),
      );

      expect(events).toEqual([
        {
          type: 'settlement.credit_confirmed',
          data: { attempt: 1, wallet_transaction_id: 'tx-1', confirmed_at: at(1_000).toISOString() },
        },
        {
          type: 'bet.settled',
          data: {
            bet_id: 'bet-1',
            win: { minor_units: 1_500, currency: 'EUR' },
            wallet_transaction_id: 'tx-1',
            ...recordedFacts,
            credited_as: 'cash',
          },
        },
      ]);
      expect(given([started, attemptStarted(1), ...events]).status).toBe('credited');
    });

    it('compensates a definitive rejection with the wallet code as reason', () => {
      const events = sut(
        record({ kind: 'rejected', code: 'PLAYER_BLOCKED', message: 'blocked' }),
        given([started, attemptStarted(1)]),
      );

      expect(events.map((event) => event.type)).toEqual([
        'settlement.credit_rejected',
        'settlement.compensated',
      ]);
      expect(events[1]?.data).toMatchObject({ reason: 'CREDIT_REJECTED:PLAYER_BLOCKED' });
    });

    it('schedules a retry after a jittered, doubling delay on an uncertain answer', () => {
      const history = [started, attemptStarted(1), attemptFailed(1, 200), attemptStarted(2, 200)];

      const events = sut(record({ kind: 'uncertain', cause: 'HTTP 503', delivered: true }), given(history));

      // attempt 2: ceiling 400 ms, jitter ~1 → 399 ms after now
      expect(events).toEqual([
        {
          type: 'settlement.credit_attempt_failed',
          data: { attempt: 2, cause: 'HTTP 503', delivered: true, next_attempt_at: at(1_399).toISOString() },
        },
      ]);
      expect(settlementDueAt(given([...history, ...events]), at(1_000))).toEqual(at(1_399));
    });

    it('never schedules a retry past the deadline', () => {
      const history = [started, attemptStarted(30)];

      const events = sut(
        {
          type: 'RecordCreditOutcome',
          outcome: { kind: 'uncertain', cause: 'x', delivered: false },
          now: at(59_000),
          retry,
          random: maxJitter,
        },
        given(history),
      );

      expect(events[0]?.data).toMatchObject({ next_attempt_at: at(60_000).toISOString() });
    });

    it('refuses an outcome when no attempt was recorded as started', () => {
      expect(() => sut(record({ kind: 'ok', value: { transactionId: 'tx' } }), given([started]))).toThrow(
        SettlementError,
      );
    });
  });
});
