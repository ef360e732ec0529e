import { type ErrorCode, PitbossError } from '@pitboss/contracts';

import { type BetEvent, type BetTerms } from './bet-events';
import { type BetState } from './bet-state';
import { decideEntitlementBet, type EntitlementFacts } from './entitlement-bet.rules';
import { type GameConfig } from './game-config';
import { mathVersionForBet } from './game-config.rules';
import { type Money, sameMoney } from './money';
import { isSelfExcluded, type PlayerRestrictions } from './player-restrictions';

export interface AuthorizeBet {
  readonly terms: BetTerms;
  readonly now: Date;
  /** Features the bet uses (e.g. `bonus_buy`), checked against the game's flags; not part of the terms. */
  readonly features?: readonly string[];
}

/** What the gateway knows, from its own tables and read models, when the bet arrives. */
export interface AuthorizationFacts {
  readonly session: {
    readonly playerId: string;
    readonly gameId: string;
    readonly currency: string;
    readonly expiresAt: Date;
    /** ISO 3166-1 alpha-2, when the session was opened with one (checked against the game's geo-bans). */
    readonly country?: string | null;
  } | null;
  readonly restrictions: PlayerRestrictions;
  /** The bet's bonus grant when it is active for this player, else null. */
  readonly activeGrant: {
    readonly maxBet: Money | null;
    /** Game ids the grant excludes (bonus.issued excluded_games); absent: none. */
    readonly excludedGames?: readonly string[];
  } | null;
  /** The game's current configuration in this region (from memory, no query); absent or null: none. */
  readonly gameConfig?: GameConfig | null;
  /** The bet's entitlement (read model, locked in the bet's transaction); absent or null: none known. */
  readonly entitlement?: EntitlementFacts | null;
}

/**
 * A new bet records the intent to debit (`bet.debit_requested`) before any wallet call, so a crash mid-call
 * leaves a trace the next attempt resumes from. A bet_id seen before answers as it did the first time.
 */
export function decideAuthorize(
  command: AuthorizeBet,
  state: BetState,
  facts: AuthorizationFacts,
): BetEvent[] {
  if (state.status !== 'none') {
    assertSameBet(command.terms, state);
    return [];
  }
  assertMayBet(command, facts);
  const country = facts.session?.country ?? null;
  const mathVersion = mathVersionForBet(facts.gameConfig ?? null, {
    amount: command.terms.amount,
    country,
    features: command.features ?? [],
  });
  const data = {
    ...command.terms,
    ...(mathVersion === null ? {} : { math_version: mathVersion }),
    ...(country === null ? {} : { country }),
  };
  const intent: BetEvent = { type: 'bet.debit_requested', data };
  // An entitlement bet is authorized by its token in the same append: there is no debit to wait for.
  if (isEntitlementBet(command.terms))
    return [intent, ...decideEntitlementBet(command.terms, facts.entitlement ?? null, command.now)];
  return [intent];
}

export function isEntitlementBet(terms: BetTerms): boolean {
  return terms.entitlement_id !== undefined && terms.entitlement_id !== null;
}

function assertSameBet(terms: BetTerms, state: BetState): void {
  if (state.terms !== null && !sameTerms(terms, state.terms)) {
    throw new PitbossError(
      'DUPLICATE_BET_ID',
      `bet ${terms.bet_id} already exists with a different amount, player, round, session, game or entitlement`,
    );
  }
  if (state.status !== 'debit_pending') authorizationOf(terms.bet_id, state);
}

/**
 * The answer to "authorize this bet" once its debit has an outcome: the balance after the debit, or the same
 * refusal the first attempt got (a retry never learns something different from the first answer).
 */
export function authorizationOf(betId: string, state: BetState): { readonly balance: Money | null } {
  if (state.terms === null) {
    throw new PitbossError('BET_ALREADY_ROLLED_BACK', `bet ${betId} was rolled back before it arrived`);
  }
  if (state.rollback?.requestedBy === 'SYSTEM') {
    throw new PitbossError(
      'WALLET_UNAVAILABLE',
      `the wallet did not confirm the debit of bet ${betId}; it is being rolled back — place a new bet`,
    );
  }
  if (state.rollback !== null) {
    throw new PitbossError('BET_ALREADY_ROLLED_BACK', `bet ${betId} was rolled back`);
  }
  if (state.rejection !== null) {
    const balance = state.rejection.balance === null ? {} : { balance: state.rejection.balance };
    throw new PitbossError(state.rejection.code as ErrorCode, `bet ${betId} was refused`, balance);
  }
  if (state.status === 'debit_pending') throw new Error(`bet ${betId} has no debit outcome yet`);
  return { balance: state.balanceAfterDebit };
}

function assertMayBet({ terms, now }: AuthorizeBet, facts: AuthorizationFacts): void {
  const { session } = facts;
  if (session === null || session.playerId !== terms.player_id) {
    throw new PitbossError(
      'SESSION_NOT_FOUND',
      `no session ${terms.session_id} for player ${terms.player_id}`,
    );
  }
  if (now.getTime() >= session.expiresAt.getTime()) {
    throw new PitbossError(
      'SESSION_EXPIRED',
      `session ${terms.session_id} expired at ${session.expiresAt.toISOString()}`,
    );
  }
  // A session is one player's play of one game: bets of another game under it would count against the wrong
  // game (RTP, per-game limits, the player's history), so they need a session of their own.
  if (terms.game_id !== session.gameId) {
    throw new PitbossError(
      'GAME_MISMATCH',
      `the bet is for game ${terms.game_id} but session ${terms.session_id} was opened for ${session.gameId}`,
    );
  }
  if (terms.amount.currency !== session.currency) {
    throw new PitbossError(
      'CURRENCY_MISMATCH',
      `the bet is in ${terms.amount.currency} but session ${terms.session_id} plays in ${session.currency}`,
    );
  }
  if (facts.restrictions.blocked) {
    throw new PitbossError('PLAYER_BLOCKED', `player ${terms.player_id} is blocked`);
  }
  if (isSelfExcluded(facts.restrictions, now)) {
    throw new PitbossError('SELF_EXCLUDED', `player ${terms.player_id} is self-excluded`);
  }
  if (terms.bonus_grant_id !== null && !isEntitlementBet(terms))
    assertWithinBonusRules(terms, facts.activeGrant);
}

function assertWithinBonusRules(terms: BetTerms, grant: AuthorizationFacts['activeGrant']): void {
  if (grant === null) {
    throw new PitbossError(
      'BONUS_NOT_ACTIVE',
      `bonus grant ${terms.bonus_grant_id} is not active for this player`,
    );
  }
  if (grant.excludedGames?.includes(terms.game_id)) {
    throw new PitbossError(
      'BONUS_RULE_VIOLATION',
      `bonus grant ${terms.bonus_grant_id} excludes game ${terms.game_id}`,
      { game_id: terms.game_id },
    );
  }
  const { maxBet } = grant;
  if (maxBet === null) return;
  if (maxBet.currency !== terms.amount.currency) {
    throw new PitbossError(
      'CURRENCY_MISMATCH',
      `bonus grant ${terms.bonus_grant_id} is in ${maxBet.currency}`,
    );
  }
  if (terms.amount.minor_units > maxBet.minor_units) {
    throw new PitbossError(
      'BONUS_MAX_BET_EXCEEDED',
      `stake ${terms.amount.minor_units} is above the grant's maximum bet ${maxBet.minor_units}`,
      { max_bet: maxBet },
    );
  }
}

function sameTerms(a: BetTerms, b: BetTerms): boolean {
  return (
    a.round_id === b.round_id &&
    a.session_id === b.session_id &&
    a.player_id === b.player_id &&
    a.game_id === b.game_id &&
    a.game_type === b.game_type &&
    a.bonus_grant_id === b.bonus_grant_id &&
    (a.entitlement_id ?? null) === (b.entitlement_id ?? null) &&
    sameMoney(a.amount, b.amount)
  );
}
