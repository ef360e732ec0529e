import { Injectable } from '@nestjs/common';

import { type BetState, decideSettle, publicStatusOf, type SettleBet } from '@pitboss/betting-domain';
import { type StoredResponse } from '@pitboss/idempotency';

import { BetRepository, type RequestContext } from './bet-repository';
import { type CommandKey } from './idempotent-commands';

/** Records the settlement and answers at once; settle-worker credits the win from `settlement.requested`. */
@Injectable()
export class SettleBetHandler {
  constructor(private readonly bets: BetRepository) {}

  /**
   * Claims `key` in the settlement's read and stores the answer in the append's own statement (or, when nothing
   * is appended, in that transaction): the key costs no statement or commit of its own.
   */
  async handle(
    tenantId: string,
    command: SettleBet,
    context: RequestContext,
    key: CommandKey,
  ): Promise<StoredResponse> {
    const recorded = await this.bets.decideAndAppend(
      tenantId,
      command.bet_id,
      async (s, tx) => {
        const events = decideSettle(command, s);
        if (events.length === 0) await key.completeIn(tx, answerOf(command.bet_id, s));
        return events;
      },
      context,
      // The key's claim is made by the bet's read, the transaction's first lock: a duplicate waits on it there,
      // holding nothing, and a key held elsewhere rolls the transaction back before any decision.
      { write: () => key.claimWrite(), readBy: (written) => key.claimedBy(written) },
      (next) => key.completion(answerOf(command.bet_id, next)),
    );
    if (recorded.written) key.completedBy(answerOf(command.bet_id, recorded.state), recorded.written);
    return answerOf(command.bet_id, recorded.state);
  }
}

function answerOf(betId: string, state: BetState): StoredResponse {
  const status = publicStatusOf(state);
  return { status: status === 'pending_credit' ? 202 : 200, body: { status, bet_id: betId } };
}
