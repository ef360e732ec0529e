import type { RuleProperties } from 'json-rules-engine';

import type { EligibilityConditions } from '../offers/published-offer';
import type { EligibilityFailureCode } from './eligibility-result';

/**
 * An offer's eligibility conditions as json-rules-engine rules: one rule per condition, its event type the reason
 * code, so a run names every condition that failed (failureEvents) rather than the first. The rules are plain
 * JSON: they are what docs/promo.md shows and what an operator's tooling could render.
 */
export function eligibilityRules(conditions: EligibilityConditions): RuleProperties[] {
  const rules: RuleProperties[] = [
    rule('ACCOUNT_CLOSED', { fact: 'closed', operator: 'equal', value: false }),
  ];
  if (nonEmpty(conditions.brands)) {
    rules.push(rule('BRAND_NOT_ALLOWED', { fact: 'brand', operator: 'in', value: [...conditions.brands] }));
  }
  if (nonEmpty(conditions.segments)) {
    // someFact: at least one of the player's segments is in the offer's list.
    rules.push(
      rule('NOT_IN_SEGMENT', { fact: 'segments', operator: 'someFact:in', value: [...conditions.segments] }),
    );
  }
  if (nonEmpty(conditions.countries)) {
    rules.push(
      rule('COUNTRY_NOT_ALLOWED', { fact: 'country', operator: 'in', value: [...conditions.countries] }),
    );
  }
  if (nonEmpty(conditions.licences)) {
    rules.push(
      rule('LICENCE_NOT_ALLOWED', { fact: 'licence', operator: 'in', value: [...conditions.licences] }),
    );
  }
  if (nonEmpty(conditions.channels)) {
    rules.push(
      rule('CHANNEL_NOT_ALLOWED', { fact: 'channel', operator: 'in', value: [...conditions.channels] }),
    );
  }
  if (conditions.min_kyc_level !== null) {
    rules.push(
      rule('KYC_LEVEL_TOO_LOW', {
        fact: 'kyc_level',
        operator: 'greaterThanInclusive',
        value: conditions.min_kyc_level,
      }),
    );
  }
  if (conditions.rg_clear) {
    rules.push(rule('RG_RESTRICTED', { fact: 'rg_restricted', operator: 'equal', value: false }));
  }
  if (conditions.min_account_age_days !== null) {
    rules.push(
      rule('ACCOUNT_TOO_NEW', {
        fact: 'account_age_days',
        operator: 'greaterThanInclusive',
        value: conditions.min_account_age_days,
      }),
    );
  }
  if (conditions.first_deposit_only) {
    rules.push(rule('NOT_FIRST_DEPOSIT', { fact: 'is_first_deposit', operator: 'equal', value: true }));
  }
  return rules;
}

function rule(
  code: EligibilityFailureCode,
  condition: { fact: string; operator: string; value: unknown },
): RuleProperties {
  return { name: code, conditions: { all: [condition] }, event: { type: code } };
}

function nonEmpty(list: readonly string[] | null): list is readonly string[] {
  return list !== null && list.length > 0;
}
