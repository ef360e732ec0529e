import {
  rollbackDueAt,
  type RollbackState,
  settlementDueAt,
  type SettlementState,
} from '@pitboss/settlement-domain';

import { type BetSagasRepository } from './bet-sagas.repository';

/** A bet's two sagas as a step reads them. */
export type BetSagas = Awaited<ReturnType<BetSagasRepository['loadBoth']>>;

/**
 * Which saga's step is due now, if any. A stake owed back goes first: a rollback is never given up, so it must
 * not wait behind a credit.
 */
export function dueSagaOf(sagas: BetSagas, now: Date): 'rollback' | 'settlement' | null {
  const rollbackDue = rollbackDueAt(sagas.rollback.state, now);
  if (rollbackDue && rollbackDue <= now) return 'rollback';
  const settlementDue = settlementDueAt(sagas.settlement.state, now);
  return settlementDue && settlementDue <= now ? 'settlement' : null;
}

/** The earlier of the two sagas' next due times; null when both are final. */
export function nextDueOf(settlement: SettlementState, rollback: RollbackState, now: Date): Date | null {
  const dues = [settlementDueAt(settlement, now), rollbackDueAt(rollback, now)].filter(
    (due): due is Date => due !== null,
  );
  return dues.length === 0 ? null : new Date(Math.min(...dues.map((due) => due.getTime())));
}
