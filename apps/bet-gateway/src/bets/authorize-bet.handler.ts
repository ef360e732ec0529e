import { Inject, Injectable } from '@nestjs/common';

import {
  type AuthorizationFacts,
  authorizationOf,
  type BetState,
  type BetTerms,
  decideAuthorize,
  decideDebitOutcome,
  isEntitlementBet,
} from '@pitboss/betting-domain';
import { PitbossError } from '@pitboss/contracts';
import { type Transaction } from '@pitboss/event-store';
import { type StoredResponse } from '@pitboss/idempotency';
import { walletKeys, type WalletPort } from '@pitboss/wallet-client';

import { GameConfigs } from '../governance/game-configs.service';
import { BonusGrantsRepository } from '../read-models/bonus-grants.repository';
import { EntitlementsRepository } from '../read-models/entitlements.repository';
import { SessionRepository } from '../sessions/session.repository';
import { WALLET } from '../wallet/wallet.tokens';
import { BetRepository, NEW_BET, type RequestContext } from './bet-repository';
import { debitOutcomeOf } from './debit-outcome.mapper';
import { type CommandKey, errorResponseOf } from './idempotent-commands';
import { PlayerDebitLimiter } from './player-debit-limiter';

/**
 * Authorize = record the intent, debit the wallet with a key derived from the bet, record the outcome. A bet
 * naming an entitlement takes one token instead, in the intent's own append and transaction, and is authorized
 * there without a wallet call (a retried bet_id finds it authorized and takes nothing). A retry
 * (same or new idempotency key) of a bet whose debit is still pending re-sends the same debit: the wallet
 * answers it once.
 *
 * The three steps run in the player's lane of the PlayerDebitLimiter: a player over the limit is refused with
 * TOO_MANY_BETS_IN_FLIGHT before the intent is recorded, so the bet_id stays unused and may be sent again. A
 * retry of a bet still debit_pending takes a slot too, since it sends a debit again.
 *
 * The idempotency key is claimed in the intent's transaction and its answer stored in the outcome's: neither
 * has a commit of its own. A duplicate of a running or answered request is found at that claim (inside the lane)
 * and leaves it to wait for or replay the answer; one refused by a full lane is answered from the key's record
 * when it has one.
 */
@Injectable()
export class AuthorizeBetHandler {
  constructor(
    private readonly bets: BetRepository,
    private readonly sessions: SessionRepository,
    private readonly grants: BonusGrantsRepository,
    @Inject(WALLET) private readonly wallet: WalletPort,
    private readonly limiter: PlayerDebitLimiter,
    private readonly gameConfigs: GameConfigs,
    private readonly entitlements: EntitlementsRepository,
  ) {}

  async handle(
    tenantId: string,
    terms: BetTerms,
    context: RequestContext,
    key: CommandKey,
    features: readonly string[] = [],
  ): Promise<StoredResponse> {
    // The facts are read inside the lane too, so a bet that waited there is checked against fresh ones.
    const state = await this.limiter.run(tenantId, terms.player_id, () =>
      this.decideAndDebit(tenantId, terms, context, features, key),
    );
    return answerOf(terms.bet_id, state);
  }

  private async decideAndDebit(
    tenantId: string,
    terms: BetTerms,
    context: RequestContext,
    features: readonly string[],
    key: CommandKey,
  ): Promise<BetState> {
    const now = new Date();
    const command = { terms, now, features };
    // The facts are read in the intent's transaction: one commit for the reads and the append, not four. The
    // bet is expected new (`NEW_BET`), so its stream is read only on a retry after the append found one.
    const intent = await this.bets.decideAndAppend(
      tenantId,
      terms.bet_id,
      async (s, tx) => {
        const events = decideAuthorize(
          command,
          s,
          await this.factsFor(tenantId, terms, now, tx, s.status, key),
        );
        // The token is taken in the bet's own transaction: a conflict or a failed append gives it back.
        if (events.some((event) => event.type === 'entitlement.consumed'))
          await this.entitlements.take(tx, tenantId, terms.entitlement_id as string);
        return events;
      },
      context,
      NEW_BET,
    );
    if (intent.state.status !== 'debit_pending') return intent.state;
    const outcome = await this.wallet.debit({
      tenantId,
      playerId: terms.player_id,
      transactionId: walletKeys.debit(tenantId, terms.bet_id),
      amount: terms.amount,
      roundId: terms.round_id,
      betId: terms.bet_id,
      // A bonus bet names its grant: the wallet may then take what cash does not cover from the grant's funds.
      ...(terms.bonus_grant_id ? { grantId: terms.bonus_grant_id } : {}),
      ...(context.traceparent ? { traceparent: context.traceparent } : {}),
    });
    const debit = debitOutcomeOf(outcome);
    // Decided on the bet as the intent left it, unread: an append since then (a rollback) fails on its version.
    // The outcome and the key's answer are one statement, without a transaction. Without events nothing is
    // written here, and the idempotency store stores the answer itself.
    const recorded = await this.bets.decideAndAppendAlone(
      tenantId,
      terms.bet_id,
      (s) => decideDebitOutcome(debit, s),
      context,
      intent,
      (next) => key.completion(answerOf(terms.bet_id, next)),
    );
    if (recorded.written) key.completedBy(answerOf(terms.bet_id, recorded.state), recorded.written);
    return recorded.state;
  }

  /**
   * One after the other: queries on one transaction's connection run in turn anyway. The first claims `key`:
   * that claim is the transaction's first lock (a duplicate waits on it there, holding nothing), and a key held
   * elsewhere rolls the transaction back before any other read.
   */
  private async factsFor(
    tenantId: string,
    terms: BetTerms,
    now: Date,
    tx: Transaction,
    status: BetState['status'],
    key: CommandKey,
  ): Promise<AuthorizationFacts> {
    const { session, restrictions, written } = await this.sessions.findWithRestrictions(
      tenantId,
      terms.session_id,
      terms.player_id,
      tx,
      key.claimWrite(),
    );
    await key.claimedBy(written);
    const activeGrant =
      terms.bonus_grant_id === null
        ? null
        : await this.grants.findActive(tenantId, terms.bonus_grant_id, terms.player_id, now, tx);
    // The game's config comes from memory (kept fresh by LISTEN/NOTIFY): no query on the bet path.
    const gameConfig = this.gameConfigs.configFor(tenantId, terms.game_id);
    // Locked only for a new bet: a retry of a known bet_id takes nothing and need not wait for the row.
    const entitlement =
      isEntitlementBet(terms) && status === 'none'
        ? await this.entitlements.lockForBet(tx, tenantId, terms.entitlement_id as string)
        : null;
    return { session, restrictions, activeGrant, gameConfig, entitlement };
  }
}

/** Whatever happened, now or on an earlier attempt, is answered the way the bet's state says. */
function answerOf(betId: string, state: BetState): StoredResponse {
  try {
    const { balance } = authorizationOf(betId, state);
    return { status: 200, body: { status: 'authorized', bet_id: betId, balance } };
  } catch (error) {
    if (!(error instanceof PitbossError)) throw error;
    return errorResponseOf(error);
  }
}
