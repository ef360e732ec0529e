import { daysToMeetConditions, maxBonusMinor, type OfferTerms } from '../offers/published-offer';
import type { PlayerFacts } from '../eligibility/player-facts';
import type { JurisdictionCheck, JurisdictionViolation, PlayerGrantHistory } from './jurisdiction-check';
import { JURISDICTION_POLICIES, type JurisdictionPolicy, type PolicyRule } from './jurisdiction-policies';

const DAY_MS = 86_400_000;

export interface JurisdictionCheckInput {
  readonly offer: OfferTerms;
  /** When the offer is published, or the grant made: selects the policy version in force. */
  readonly at: Date;
  /**
   * Grant time: the player the grant is for. Only the player's licence is checked, and the per-player rules
   * (first opportunity, verified account) read the player's facts. Absent (publish): every licence the offer is
   * open to is checked — all the policies' licences when the offer names none.
   */
  readonly player?: { readonly facts: PlayerFacts; readonly history: PlayerGrantHistory };
}

/** Every rule of every applicable licence policy that the offer (or the grant to this player) breaks. */
export function checkJurisdiction(
  input: JurisdictionCheckInput,
  policies: readonly JurisdictionPolicy[] = JURISDICTION_POLICIES,
): JurisdictionCheck {
  const violations: JurisdictionViolation[] = [];
  const policyVersions = new Map<string, number>();
  for (const licence of licencesToCheck(input, policies)) {
    const policy = policyInForce(policies, licence, input.at);
    if (policy === null) continue;
    policyVersions.set(licence, policy.version);
    for (const rule of policy.rules) {
      const reason = input.player ? playerBreach(rule, input, input.player) : offerBreach(rule, input.offer);
      if (reason !== null) {
        violations.push({ licence, rule: rule.code, policy_version: policy.version, reason });
      }
    }
  }
  return {
    compliant: violations.length === 0,
    violations,
    policy_versions: Object.fromEntries(policyVersions),
  };
}

/** The licence's policy version in force at `at`, or null when the licence has none (no rules beyond the offer's). */
export function policyInForce(
  policies: readonly JurisdictionPolicy[],
  licence: string,
  at: Date,
): JurisdictionPolicy | null {
  let best: JurisdictionPolicy | null = null;
  for (const policy of policies) {
    if (policy.licence !== licence || Date.parse(policy.effective_from) > at.getTime()) continue;
    if (best === null || policy.version > best.version) best = policy;
  }
  return best;
}

function licencesToCheck(input: JurisdictionCheckInput, policies: readonly JurisdictionPolicy[]): string[] {
  if (input.player) return [input.player.facts.licence];
  const named = input.offer.eligibility.licences;
  if (named !== null && named.length > 0) return [...new Set(named)];
  return [...new Set(policies.map((policy) => policy.licence))].sort();
}

/** Why the offer's terms break the rule, or null. */
function offerBreach(rule: PolicyRule, offer: OfferTerms): string | null {
  const { params, eligibility } = offer;
  switch (rule.kind) {
    case 'no_bonuses':
      return 'bonuses may not be offered under this licence';
    case 'max_wager_x':
      return params.wager_x > rule.max
        ? `wagering ${params.wager_x}x is above the maximum ${rule.max}x`
        : null;
    case 'same_product':
      return params.qualifying_product !== null && params.qualifying_product !== params.reward_product
        ? `the qualifying action is in ${params.qualifying_product} and the reward in ${params.reward_product}`
        : null;
    case 'min_days_to_meet_conditions': {
      const days = daysToMeetConditions(params);
      return params.wager_x > 0 && days < rule.days
        ? `the player has ${days} days to meet the conditions, at least ${rule.days} are required`
        : null;
    }
    case 'max_bonus': {
      if (offer.currency !== rule.currency) {
        return `the offer is in ${offer.currency}; the cap is checked in ${rule.currency}`;
      }
      const max = maxBonusMinor(offer);
      if (max === null) return `the bonus has no cap; at most ${rule.max_minor} minor units are allowed`;
      return max > rule.max_minor ? `the bonus can reach ${max} minor units, above ${rule.max_minor}` : null;
    }
    case 'forbidden_offer_types':
      return rule.types.includes(offer.type) ? `offers of type ${offer.type} are not allowed` : null;
    case 'first_opportunity_only':
      return eligibility.first_deposit_only || (offer.type === 'no_deposit' && offer.limits.once_per_player)
        ? null
        : 'the bonus must be limited to the first deposit (or be a once-per-player registration bonus)';
    case 'verified_account': {
      const kycOk = (eligibility.min_kyc_level ?? 0) >= rule.min_kyc_level;
      const ageOk = (eligibility.min_account_age_days ?? 0) >= rule.min_account_age_days;
      return kycOk && ageOk
        ? null
        : `eligibility must require KYC level >= ${rule.min_kyc_level} and an account at least ` +
            `${rule.min_account_age_days} days old`;
    }
  }
}

/** Grant time: the offer's terms against the policy in force now, and the player-specific rules on the player. */
function playerBreach(
  rule: PolicyRule,
  input: JurisdictionCheckInput,
  player: NonNullable<JurisdictionCheckInput['player']>,
): string | null {
  switch (rule.kind) {
    case 'first_opportunity_only':
      return player.history.prior_grants > 0
        ? `the player already had ${player.history.prior_grants} bonus(es) with the licensee`
        : null;
    case 'verified_account': {
      const ageDays = Math.floor((input.at.getTime() - Date.parse(player.facts.account_created_at)) / DAY_MS);
      return player.facts.kyc_level >= rule.min_kyc_level && ageDays >= rule.min_account_age_days
        ? null
        : `the player (KYC level ${player.facts.kyc_level}, account ${Math.max(0, ageDays)} days old) is not a ` +
            `verified account at least ${rule.min_account_age_days} days old`;
    }
    default:
      return offerBreach(rule, input.offer);
  }
}
