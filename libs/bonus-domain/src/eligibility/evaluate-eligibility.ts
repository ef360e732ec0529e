import { Engine } from 'json-rules-engine';

import type { EligibilityConditions } from '../offers/published-offer';
import {
  ELIGIBILITY_FAILURE_CODES,
  type EligibilityFailure,
  type EligibilityFailureCode,
  type EligibilityResult,
} from './eligibility-result';
import { eligibilityRules } from './eligibility-rules';
import type { EligibilityContext, PlayerFacts } from './player-facts';

const DAY_MS = 86_400_000;

/**
 * Is the player eligible for the offer, and if not, every reason. Pure: the same offer, facts and context give the
 * same answer (the engine runs on the facts given, nothing is fetched). Async only because the rules library is.
 */
export async function evaluateEligibility(
  offer: { readonly eligibility: EligibilityConditions },
  player: PlayerFacts,
  context: EligibilityContext,
): Promise<EligibilityResult> {
  const facts = eligibilityFacts(player, context);
  const engine = new Engine(eligibilityRules(offer.eligibility), { allowUndefinedFacts: false });
  const { failureEvents } = await engine.run({ ...facts });
  const failed = new Set(failureEvents.map((event) => event.type as EligibilityFailureCode));
  const failures: EligibilityFailure[] = ELIGIBILITY_FAILURE_CODES.filter((code) => failed.has(code)).map(
    (code) => ({ code, reason: reasonFor(code, offer.eligibility, facts) }),
  );
  return { eligible: failures.length === 0, failures };
}

/** The facts the rules read: the read model's, plus what is derived from the context (age, first deposit). */
export interface EligibilityFacts {
  readonly brand: string;
  readonly segments: readonly string[];
  readonly country: string;
  readonly licence: string;
  readonly channel: string;
  readonly kyc_level: number;
  readonly rg_restricted: boolean;
  /** Whole days since the account was opened. */
  readonly account_age_days: number;
  readonly closed: boolean;
  /** No deposit seen yet, or the triggering deposit is the first one seen. */
  readonly is_first_deposit: boolean;
}

export function eligibilityFacts(player: PlayerFacts, context: EligibilityContext): EligibilityFacts {
  const ageMs = context.at.getTime() - Date.parse(player.account_created_at);
  return {
    brand: player.brand,
    segments: player.segments,
    country: player.country,
    licence: player.licence,
    channel: context.channel ?? player.channel,
    kyc_level: player.kyc_level,
    rg_restricted: player.self_excluded || player.blocked,
    account_age_days: Math.max(0, Math.floor(ageMs / DAY_MS)),
    closed: player.closed,
    is_first_deposit:
      player.first_deposit_id === null ||
      (context.deposit_id !== undefined && player.first_deposit_id === context.deposit_id),
  };
}

function reasonFor(code: EligibilityFailureCode, c: EligibilityConditions, f: EligibilityFacts): string {
  switch (code) {
    case 'ACCOUNT_CLOSED':
      return 'the player account is closed';
    case 'BRAND_NOT_ALLOWED':
      return `brand ${f.brand} is not one of ${list(c.brands)}`;
    case 'NOT_IN_SEGMENT':
      return `the player is in none of the segments ${list(c.segments)}`;
    case 'COUNTRY_NOT_ALLOWED':
      return `country ${f.country} is not one of ${list(c.countries)}`;
    case 'LICENCE_NOT_ALLOWED':
      return `licence ${f.licence} is not one of ${list(c.licences)}`;
    case 'CHANNEL_NOT_ALLOWED':
      return `channel ${f.channel} is not one of ${list(c.channels)}`;
    case 'KYC_LEVEL_TOO_LOW':
      return `KYC level ${f.kyc_level} is below the required ${c.min_kyc_level}`;
    case 'RG_RESTRICTED':
      return 'the player is self-excluded or blocked (responsible gaming)';
    case 'ACCOUNT_TOO_NEW':
      return `the account is ${f.account_age_days} days old, the offer needs ${c.min_account_age_days}`;
    case 'NOT_FIRST_DEPOSIT':
      return 'the offer is for the first deposit only and the player has deposited before';
  }
}

function list(values: readonly string[] | null): string {
  return (values ?? []).join(', ');
}
