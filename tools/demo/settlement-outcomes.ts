import { expectEventually } from '@pitboss/testing';

import { type SeenEvent, type TopicWatch } from './topic-watch';

/** The final events of rgs.settlements.v1: a settlement ends credited or compensated, a rollback rolled back. */
const SETTLEMENT_FINAL = ['bet.settled', 'settlement.compensated'];
const ROLLBACK_FINAL = ['bet.rolled_back'];

export interface OutcomeTally {
  readonly credited: number;
  readonly compensated: number;
  readonly rolledBack: number;
  /** Accepted settlements or rollbacks with no final event on Kafka by the deadline. */
  readonly missing: readonly string[];
  /** Bets with more than one distinct final event (not redeliveries of one event: those are harmless). */
  readonly duplicated: readonly string[];
  /** Settle accepted (our clock) → bet.settled received by our consumer, ms. */
  readonly settleLagsMs: readonly number[];
  readonly rollbackLagsMs: readonly number[];
}

export interface Accepted {
  readonly betId: string;
  readonly acceptedAt: number;
}

/** Waits (up to `timeoutMs`) until every accepted settlement and rollback has its final event, then tallies. */
export async function awaitOutcomes(
  watch: TopicWatch,
  settlements: readonly Accepted[],
  rollbacks: readonly Accepted[],
  timeoutMs: number,
): Promise<OutcomeTally> {
  const finalOf = (betId: string, types: readonly string[]) =>
    (watch.byBet.get(betId) ?? []).filter((event) => types.includes(event.eventType));
  const pending = () => [
    ...settlements.filter(({ betId }) => finalOf(betId, SETTLEMENT_FINAL).length === 0),
    ...rollbacks.filter(({ betId }) => finalOf(betId, ROLLBACK_FINAL).length === 0),
  ];
  await expectEventually(
    () => {
      const left = pending().length;
      if (left > 0) throw new Error(`${left} outcomes still missing`);
    },
    { timeoutMs, intervalMs: 50 },
  ).catch(() => undefined); // reported as missing below
  const distinct = (events: readonly SeenEvent[]) => new Set(events.map((event) => event.eventId)).size;
  const lag = (accepted: Accepted, events: readonly SeenEvent[]) => {
    const first = events.reduce<number | undefined>(
      (min, event) => Math.min(min ?? event.receivedAt, event.receivedAt),
      undefined,
    );
    return first === undefined ? [] : [first - accepted.acceptedAt];
  };
  const settled = settlements.map((accepted) => ({
    accepted,
    events: finalOf(accepted.betId, SETTLEMENT_FINAL),
  }));
  const rolled = rollbacks.map((accepted) => ({ accepted, events: finalOf(accepted.betId, ROLLBACK_FINAL) }));
  return {
    credited: settled.filter(({ events }) => events.some((event) => event.eventType === 'bet.settled'))
      .length,
    compensated: settled.filter(({ events }) =>
      events.some((event) => event.eventType === 'settlement.compensated'),
    ).length,
    rolledBack: rolled.filter(({ events }) => events.length > 0).length,
    missing: pending().map(({ betId }) => betId),
    duplicated: [...settled, ...rolled]
      .filter(({ events }) => distinct(events) > 1)
      .map(({ accepted }) => accepted.betId),
    settleLagsMs: settled.flatMap(({ accepted, events }) =>
      lag(
        accepted,
        events.filter((event) => event.eventType === 'bet.settled'),
      ),
    ),
    rollbackLagsMs: rolled.flatMap(({ accepted, events }) => lag(accepted, events)),
  };
}
