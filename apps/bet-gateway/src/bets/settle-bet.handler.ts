import { Injectable } from '@nestjs/common';

import { decideSettle, publicStatusOf, type SettleBet } from '@pitboss/betting-domain';
import { type Transaction } from '@pitboss/event-store';
import { type StoredResponse } from '@pitboss/idempotency';

import { BetRepository, type RequestContext } from './bet-repository';

/** Records the settlement and answers at once; settle-worker credits the win from `settlement.requested`. */
@Injectable()
export class SettleBetHandler {
  constructor(private readonly bets: BetRepository) {}

  /** In the caller's transaction, which also stores the answer under the idempotency key. */
  async handle(
    tx: Transaction,
    tenantId: string,
    command: SettleBet,
    context: RequestContext,
  ): Promise<StoredResponse> {
    const state = await this.bets.decideAndAppendIn(
      tx,
      tenantId,
      command.bet_id,
      (s) => decideSettle(command, s),
      context,
    );
    const status = publicStatusOf(state);
    return { status: status === 'pending_credit' ? 202 : 200, body: { status, bet_id: command.bet_id } };
  }
}
