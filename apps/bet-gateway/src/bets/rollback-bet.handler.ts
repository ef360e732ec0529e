import { Injectable } from '@nestjs/common';

import { decideRollback, type RollbackBet } from '@pitboss/betting-domain';
import { type Transaction } from '@pitboss/event-store';
import { type StoredResponse } from '@pitboss/idempotency';

import { BetRepository, type RequestContext } from './bet-repository';

/**
 * Records the rollback; settle-worker returns the stake from `rollback.requested`. A bet the wallet never
 * debited (unknown, or refused) is rolled back at once: there is nothing to return.
 */
@Injectable()
export class RollbackBetHandler {
  constructor(private readonly bets: BetRepository) {}

  /** In the caller's transaction, which also stores the answer under the idempotency key. */
  async handle(
    tx: Transaction,
    tenantId: string,
    command: RollbackBet,
    context: RequestContext,
  ): Promise<StoredResponse> {
    const state = await this.bets.decideAndAppendIn(
      tx,
      tenantId,
      command.bet_id,
      (s) => decideRollback(command, s),
      context,
    );
    const pending = state.status === 'rollback_pending';
    return {
      status: pending ? 202 : 200,
      body: { status: pending ? 'rollback_pending' : 'rolled_back', bet_id: command.bet_id },
    };
  }
}
