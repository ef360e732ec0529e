import { type PublishedOffer } from '../offers/published-offer';
import { type GrantIssuedData } from './grant-events';
import { type Money } from './grant-money';

const DAY_MS = 86_400_000;

export interface GrantRequestFacts {
  readonly grantId: string;
  readonly playerId: string;
  readonly trigger: string;
  readonly triggerRef: string;
  /**
   * The qualifying amount in the offer's currency: the deposit for deposit_match and reload, the net loss for
   * cashback; ignored by no_deposit (the offer fixes the amount).
   */
  readonly qualifyingMinor: number | null;
  readonly now: Date;
}

export type GrantTermsResult =
  | { readonly ok: true; readonly grant: GrantIssuedData }
  | {
      readonly ok: false;
      readonly code: 'INVALID_REQUEST' | 'OFFER_NOT_GRANTABLE';
      readonly message: string;
    };

/**
 * The grant an offer version gives for one trigger: the bonus amount (match × qualifying amount, floored to
 * minor units and capped), the wagering requirement (wager_x × the wagering base), expiry and window, frozen
 * from the offer version so later edits do not change it.
 */
export function grantTermsOf(offer: PublishedOffer, facts: GrantRequestFacts): GrantTermsResult {
  const { params } = offer;
  if (offer.type === 'free_spins' || offer.type === 'free_bet')
    return refuse('OFFER_NOT_GRANTABLE', `a ${offer.type} offer gives entitlements, not bonus money`);
  const amount = bonusAmount(offer, facts.qualifyingMinor);
  if (typeof amount === 'string') return refuse('INVALID_REQUEST', amount);
  if (amount <= 0) return refuse('OFFER_NOT_GRANTABLE', 'the offer gives no bonus for this amount');
  const base =
    params.wagering_base === 'deposit_plus_bonus' &&
    facts.qualifyingMinor !== null &&
    offer.type !== 'no_deposit'
      ? facts.qualifyingMinor + amount
      : amount;
  return { ok: true, grant: frozenTerms(offer, facts, amount, base) };
}

/** `trigger` of a grant of an entitlement bet's win (its `trigger_ref` is the bet id). */
export const ENTITLEMENT_WIN_TRIGGER = 'entitlement_win';

/** The settled win of an entitlement bet whose entitlement credits wins as bonus. */
export interface EntitlementWinFacts {
  readonly grantId: string;
  readonly playerId: string;
  readonly betId: string;
  readonly win: Money;
  readonly now: Date;
}

/**
 * The grant a free_spins / free_bet offer version gives for one win of its entitlement's bets: the win itself as
 * the bonus, credited to the bonus sub-balance, with wagering `wager_x` × the win under the offer's contribution
 * schema and the offer's max bet, max win and validity, frozen as any grant's. The variant of grantTermsOf for
 * free-round offers, which have no amount of their own: the game decided it. One grant per bet (`trigger_ref`).
 */
export function entitlementWinTermsOf(offer: PublishedOffer, facts: EntitlementWinFacts): GrantTermsResult {
  if (offer.type !== 'free_spins' && offer.type !== 'free_bet')
    return refuse(
      'OFFER_NOT_GRANTABLE',
      `a ${offer.type} offer gives no entitlements whose wins it could grant`,
    );
  if (offer.params.wager_x <= 0)
    return refuse('OFFER_NOT_GRANTABLE', 'the offer has no wagering: its free-round wins are paid in cash');
  if (facts.win.currency !== offer.currency)
    return refuse('INVALID_REQUEST', `the win is in ${facts.win.currency}, the offer in ${offer.currency}`);
  if (!Number.isSafeInteger(facts.win.minor_units) || facts.win.minor_units <= 0)
    return refuse('OFFER_NOT_GRANTABLE', 'a bet that won nothing gives no grant');
  const request: GrantRequestFacts = {
    grantId: facts.grantId,
    playerId: facts.playerId,
    trigger: ENTITLEMENT_WIN_TRIGGER,
    triggerRef: facts.betId,
    qualifyingMinor: null,
    now: facts.now,
  };
  // No deposit stands behind a free round: the wagering base is the win, whatever the offer's base says.
  const grant = frozenTerms(offer, request, facts.win.minor_units, facts.win.minor_units);
  return { ok: true, grant: { ...grant, wagering_base: 'bonus' } };
}

/** The grant's terms frozen from the offer version: wagering `wager_x` × base (none when 0), expiry, window. */
function frozenTerms(
  offer: PublishedOffer,
  facts: GrantRequestFacts,
  amount: number,
  base: number,
): GrantIssuedData {
  const { params } = offer;
  const money = (minor_units: number) => ({ minor_units, currency: offer.currency });
  const wagering = params.wager_x > 0 ? Math.ceil(params.wager_x * base) : null;
  const at = facts.now.getTime();
  const windowDays = params.wagering_window_days ?? params.validity_days;
  return {
    grant_id: facts.grantId,
    player_id: facts.playerId,
    trigger: facts.trigger,
    trigger_ref: facts.triggerRef,
    offer_id: offer.offer_id,
    offer_version: offer.version,
    amount: money(amount),
    credit_balance: wagering === null ? 'cash' : 'bonus',
    wagering_required: wagering === null ? null : money(wagering),
    wagering_base: params.wagering_base,
    contribution_schema_id: params.contribution_schema?.id ?? null,
    contribution_schema_version: params.contribution_schema?.version ?? null,
    max_bet: params.max_bet_minor === null ? null : money(params.max_bet_minor),
    max_win: params.max_win_minor === null ? null : money(params.max_win_minor),
    expires_at: new Date(at + params.validity_days * DAY_MS).toISOString(),
    wagering_ends_at: new Date(at + Math.min(windowDays, params.validity_days) * DAY_MS).toISOString(),
    sticky: params.sticky,
    excluded_games: [],
    conflict_group: offer.conflict_group,
  };
}

/** Minor units, or the reason the request cannot be priced. */
function bonusAmount(offer: PublishedOffer, qualifyingMinor: number | null): number | string {
  const { params } = offer;
  if (offer.type === 'no_deposit') return params.amount_minor ?? 'the no_deposit offer has no amount';
  if (qualifyingMinor === null) return `amount_minor is required for a ${offer.type} offer`;
  if (params.match_pct === null) return `the ${offer.type} offer has no match_pct`;
  // Integer arithmetic first (pct may have decimals: scale by 100), floored: a bonus never rounds up.
  const matched = Math.floor((qualifyingMinor * Math.round(params.match_pct * 100)) / 10_000);
  return params.cap_minor === null ? matched : Math.min(matched, params.cap_minor);
}

function refuse(code: 'INVALID_REQUEST' | 'OFFER_NOT_GRANTABLE', message: string): GrantTermsResult {
  return { ok: false, code, message };
}
