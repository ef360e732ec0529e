/** Why a player is not eligible for an offer: one code per failed condition (docs/promo.md lists them). */
export const ELIGIBILITY_FAILURE_CODES = [
  'BRAND_NOT_ALLOWED',
  'NOT_IN_SEGMENT',
  'COUNTRY_NOT_ALLOWED',
  'LICENCE_NOT_ALLOWED',
  'CHANNEL_NOT_ALLOWED',
  'KYC_LEVEL_TOO_LOW',
  'RG_RESTRICTED',
  'ACCOUNT_TOO_NEW',
  'NOT_FIRST_DEPOSIT',
  'ACCOUNT_CLOSED',
] as const;
export type EligibilityFailureCode = (typeof ELIGIBILITY_FAILURE_CODES)[number];

export interface EligibilityFailure {
  readonly code: EligibilityFailureCode;
  readonly reason: string;
}

/** Every failed condition is listed (not just the first), in the order of ELIGIBILITY_FAILURE_CODES. */
export interface EligibilityResult {
  readonly eligible: boolean;
  readonly failures: readonly EligibilityFailure[];
}
