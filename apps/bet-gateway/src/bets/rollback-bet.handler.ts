import { Injectable } from '@nestjs/common';

import { decideRollback, type RollbackBet } from '@pitboss/betting-domain';
import { type Transaction } from '@pitboss/event-store';
import { type StoredResponse } from '@pitboss/idempotency';

import { EntitlementsRepository } from '../read-models/entitlements.repository';
import { BetRepository, type RequestContext } from './bet-repository';

/**
 * Records the rollback; settle-worker returns the stake from `rollback.requested`. A bet the wallet never
 * debited (unknown, refused, or paid by an entitlement token, which is given back) is rolled back at once: there
 * is nothing to return.
 */
@Injectable()
export class RollbackBetHandler {
  constructor(
    private readonly bets: BetRepository,
    private readonly entitlements: EntitlementsRepository,
  ) {}

  /** In the caller's transaction, which also stores the answer under the idempotency key. */
  async handle(
    tx: Transaction,
    tenantId: string,
    command: RollbackBet,
    context: RequestContext,
  ): Promise<StoredResponse> {
    const { state } = await this.bets.decideAndAppendIn(
      tx,
      tenantId,
      command.bet_id,
      async (s) => {
        // An entitlement bet's token goes back in the rollback's own transaction (entitlement.restored).
        const entitlementId = s.terms?.entitlement_id;
        const restores = s.status === 'authorized' && entitlementId !== undefined && entitlementId !== null;
        const remaining = restores
          ? await this.entitlements.giveBack(tx, tenantId, entitlementId)
          : undefined;
        return decideRollback(command, s, remaining);
      },
      context,
    );
    const pending = state.status === 'rollback_pending';
    return {
      status: pending ? 202 : 200,
      body: { status: pending ? 'rollback_pending' : 'rolled_back', bet_id: command.bet_id },
    };
  }
}
