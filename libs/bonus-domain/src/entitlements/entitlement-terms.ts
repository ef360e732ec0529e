import { type Money } from '../grants/grant-money';
import { type PublishedOffer } from '../offers/published-offer';

const DAY_MS = 86_400_000;

export type EntitlementKind = 'free_spins' | 'free_bet';
export const ENTITLEMENT_KINDS: readonly EntitlementKind[] = ['free_spins', 'free_bet'];

/** How the wins of entitlement bets are credited: into the bonus sub-balance with wagering, or as cash. */
export type WinCredit = 'bonus' | 'cash';

/** What a `POST /v1/entitlements` asks for; every field left out takes the offer's value. */
export interface EntitlementRequest {
  readonly entitlementId: string;
  readonly playerId: string;
  readonly kind?: EntitlementKind;
  readonly count?: number;
  readonly betValueMinor?: number;
  readonly games?: readonly string[];
  /** ISO-8601 UTC. */
  readonly expiresAt?: string;
  readonly triggerRef: string;
  readonly now: Date;
}

/** An entitlement as it is granted (entitlement.granted's fields and the index row). */
export interface EntitlementTerms {
  readonly entitlement_id: string;
  readonly player_id: string;
  readonly offer_id: string;
  readonly offer_version: number;
  readonly kind: EntitlementKind;
  readonly count: number;
  readonly bet_value: Money;
  /** Game ids the tokens may be played on; empty: any game (a free bet on any market). */
  readonly games: readonly string[];
  readonly win_credit: WinCredit;
  /** ISO-8601 UTC. */
  readonly expires_at: string;
  readonly trigger_ref: string;
}

/** A request field beyond what the offer allows. */
export interface EntitlementProblem {
  readonly field: 'kind' | 'count' | 'bet_value_minor' | 'games' | 'expires_at';
  readonly reason: string;
}

export type EntitlementTermsResult =
  | { readonly ok: true; readonly entitlement: EntitlementTerms }
  | { readonly ok: false; readonly code: 'OFFER_NOT_GRANTABLE'; readonly message: string }
  | {
      readonly ok: false;
      readonly code: 'ENTITLEMENT_OUTSIDE_OFFER';
      readonly message: string;
      readonly problems: readonly EntitlementProblem[];
    };

/**
 * The entitlement a free_spins / free_bet offer version gives for one request. Defaults come from the offer's
 * `params.free_rounds` and validity; a request may ask for less, never more: the offer's kind, at most its count,
 * at most its bet value, a subset of its games (any games when the offer names none), an expiry after now and at
 * most `validity_days` away. Wins are credited as bonus when the offer has wagering (`wager_x > 0`), else as cash.
 */
export function entitlementTermsOf(
  offer: PublishedOffer,
  request: EntitlementRequest,
): EntitlementTermsResult {
  const rounds = offer.params.free_rounds;
  if ((offer.type !== 'free_spins' && offer.type !== 'free_bet') || rounds === null)
    return {
      ok: false,
      code: 'OFFER_NOT_GRANTABLE',
      message: `a ${offer.type} offer gives bonus money, not entitlements (use POST /v1/bonus/grants)`,
    };
  const now = request.now.getTime();
  const latestExpiry = now + offer.params.validity_days * DAY_MS;
  const kind = request.kind ?? offer.type;
  const count = request.count ?? rounds.count;
  const betValue = request.betValueMinor ?? rounds.bet_value_minor;
  const games = request.games ?? rounds.games;
  const expiresAt = request.expiresAt === undefined ? latestExpiry : Date.parse(request.expiresAt);

  const problems: EntitlementProblem[] = [];
  if (kind !== offer.type) problems.push({ field: 'kind', reason: `the offer gives ${offer.type}` });
  if (count > rounds.count)
    problems.push({ field: 'count', reason: `the offer gives at most ${rounds.count}` });
  if (betValue > rounds.bet_value_minor)
    problems.push({ field: 'bet_value_minor', reason: `the offer's bet value is ${rounds.bet_value_minor}` });
  const outside = rounds.games.length === 0 ? [] : games.filter((game) => !rounds.games.includes(game));
  if (outside.length > 0)
    problems.push({ field: 'games', reason: `not games of the offer: ${outside.join(', ')}` });
  if (kind === 'free_spins' && games.length === 0)
    problems.push({ field: 'games', reason: 'free spins must name the games they are played on' });
  if (expiresAt <= now || expiresAt > latestExpiry)
    problems.push({
      field: 'expires_at',
      reason: `must be after now and at most ${offer.params.validity_days} days away`,
    });
  if (problems.length > 0)
    return {
      ok: false,
      code: 'ENTITLEMENT_OUTSIDE_OFFER',
      message: 'the request asks for more than the offer allows',
      problems,
    };

  return {
    ok: true,
    entitlement: {
      entitlement_id: request.entitlementId,
      player_id: request.playerId,
      offer_id: offer.offer_id,
      offer_version: offer.version,
      kind,
      count,
      bet_value: { minor_units: betValue, currency: offer.currency },
      games: [...new Set(games)],
      win_credit: offer.params.wager_x > 0 ? 'bonus' : 'cash',
      expires_at: new Date(expiresAt).toISOString(),
      trigger_ref: request.triggerRef,
    },
  };
}

/** The promo cost of an entitlement, as the offer's budget counts it: every token at its bet value. */
export function entitlementCostMinor(entitlement: Pick<EntitlementTerms, 'count' | 'bet_value'>): number {
  return entitlement.count * entitlement.bet_value.minor_units;
}

/** entitlement.granted as promo.grants.v1 carries it (timestamps in epoch milliseconds). */
export function entitlementGrantedPayload(entitlement: EntitlementTerms): Record<string, unknown> {
  return {
    entitlement_id: entitlement.entitlement_id,
    offer_id: entitlement.offer_id,
    kind: entitlement.kind,
    count: entitlement.count,
    bet_value: entitlement.bet_value,
    games: [...entitlement.games],
    win_credit: entitlement.win_credit,
    expires_at: Date.parse(entitlement.expires_at),
  };
}

/** The entitlement's stream id in bonus-grant's store. */
export function entitlementStreamId(tenantId: string, entitlementId: string): string {
  return `entitlement:${tenantId}:${entitlementId}`;
}
