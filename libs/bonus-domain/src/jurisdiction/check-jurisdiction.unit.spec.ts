import { offerTerms, playerFacts } from '../offers/offer-fixtures';
import { checkJurisdiction, policyInForce } from './check-jurisdiction';
import { JURISDICTION_POLICIES } from './jurisdiction-policies';

const AFTER_GB_CHANGE = new Date('2026-03-01T00:00:00Z');
const BEFORE_GB_CHANGE = new Date('2026-01-18T23:59:59Z');

function rulesBroken(check: ReturnType<typeof checkJurisdiction>): string[] {
  return check.violations.map((violation) => violation.rule);
}

describe(checkJurisdiction.name, () => {
  describe('GB', () => {
    const gb = { licences: ['GB'] };

    it('Given 20x wagering, When published after 2026-01-19, Then GB_WAGERING_ABOVE_10X under policy version 2', () => {
      const check = checkJurisdiction({
        offer: offerTerms({ eligibility: gb, params: { wager_x: 20 } }),
        at: AFTER_GB_CHANGE,
      });
      expect(check.violations).toEqual([
        expect.objectContaining({ licence: 'GB', rule: 'GB_WAGERING_ABOVE_10X', policy_version: 2 }),
      ]);
      expect(check.policy_versions).toEqual({ GB: 2 });
    });

    it('Given 20x wagering, When published before 2026-01-19, Then it complies with policy version 1', () => {
      const check = checkJurisdiction({
        offer: offerTerms({ eligibility: gb, params: { wager_x: 20 } }),
        at: BEFORE_GB_CHANGE,
      });
      expect(check).toEqual({ compliant: true, violations: [], policy_versions: { GB: 1 } });
    });

    it('Given a sports bet rewarded with casino money, When published, Then GB_MIXED_PRODUCT', () => {
      const offer = offerTerms({
        eligibility: gb,
        params: { qualifying_product: 'sports', reward_product: 'casino' },
      });
      expect(rulesBroken(checkJurisdiction({ offer, at: AFTER_GB_CHANGE }))).toEqual(['GB_MIXED_PRODUCT']);
    });

    it('Given 10x in one product, When published, Then it complies', () => {
      expect(
        checkJurisdiction({ offer: offerTerms({ eligibility: gb }), at: AFTER_GB_CHANGE }).compliant,
      ).toBe(true);
    });
  });

  describe('SE', () => {
    const se = { licences: ['SE'], first_deposit_only: true };

    it('Given a reload, When published, Then SE_NOT_FIRST_OPPORTUNITY', () => {
      const offer = offerTerms({ type: 'reload', eligibility: { ...se, first_deposit_only: false } });
      expect(rulesBroken(checkJurisdiction({ offer, at: AFTER_GB_CHANGE }))).toEqual([
        'SE_NOT_FIRST_OPPORTUNITY',
      ]);
    });

    it('Given 30 days to wager, When published, Then SE_CONDITIONS_UNDER_60_DAYS', () => {
      const offer = offerTerms({ eligibility: se, params: { validity_days: 30 } });
      expect(rulesBroken(checkJurisdiction({ offer, at: AFTER_GB_CHANGE }))).toEqual([
        'SE_CONDITIONS_UNDER_60_DAYS',
      ]);
    });

    it('Given a compliant welcome offer, When granted to a player who had a bonus before, Then SE_NOT_FIRST_OPPORTUNITY', () => {
      const offer = offerTerms({ eligibility: se });
      const player = { facts: playerFacts({ licence: 'SE' }), history: { prior_grants: 1 } };
      expect(checkJurisdiction({ offer, at: AFTER_GB_CHANGE }).compliant).toBe(true);
      expect(rulesBroken(checkJurisdiction({ offer, at: AFTER_GB_CHANGE, player }))).toEqual([
        'SE_NOT_FIRST_OPPORTUNITY',
      ]);
    });
  });

  describe('DK', () => {
    it('Given a DKK match capped at DKK 1,500 with 15x over 30 days, When published, Then all three DK rules are listed', () => {
      const offer = offerTerms({
        currency: 'DKK',
        eligibility: { licences: ['DK'] },
        params: { cap_minor: 150_000, wager_x: 15, validity_days: 30 },
      });
      expect(rulesBroken(checkJurisdiction({ offer, at: AFTER_GB_CHANGE }))).toEqual([
        'DK_BONUS_ABOVE_DKK_1000',
        'DK_WAGERING_ABOVE_10X',
        'DK_CONDITIONS_UNDER_60_DAYS',
      ]);
    });

    it('Given a match without a cap, When published, Then DK_BONUS_ABOVE_DKK_1000 (unbounded)', () => {
      const offer = offerTerms({
        currency: 'DKK',
        eligibility: { licences: ['DK'] },
        params: { cap_minor: null },
      });
      expect(rulesBroken(checkJurisdiction({ offer, at: AFTER_GB_CHANGE }))).toEqual([
        'DK_BONUS_ABOVE_DKK_1000',
      ]);
    });

    it('Given DKK 1,000 exactly, 10x, 60 days, When published, Then it complies', () => {
      const offer = offerTerms({
        currency: 'DKK',
        eligibility: { licences: ['DK'] },
        params: { cap_minor: 100_000 },
      });
      expect(checkJurisdiction({ offer, at: AFTER_GB_CHANGE }).compliant).toBe(true);
    });
  });

  it('Given a cashback offer, When published for NL, Then NL_LOSS_LINKED_BONUS', () => {
    const offer = offerTerms({ type: 'cashback', eligibility: { licences: ['NL'] } });
    expect(rulesBroken(checkJurisdiction({ offer, at: AFTER_GB_CHANGE }))).toEqual(['NL_LOSS_LINKED_BONUS']);
  });

  describe('ES', () => {
    it('Given eligibility without verification, When published, Then ES_ACCOUNT_NOT_VERIFIED_30_DAYS', () => {
      const offer = offerTerms({ eligibility: { licences: ['ES'] } });
      expect(rulesBroken(checkJurisdiction({ offer, at: AFTER_GB_CHANGE }))).toEqual([
        'ES_ACCOUNT_NOT_VERIFIED_30_DAYS',
      ]);
    });

    it('Given a compliant offer, When granted to a 10-day-old account, Then ES_ACCOUNT_NOT_VERIFIED_30_DAYS', () => {
      const offer = offerTerms({
        eligibility: { licences: ['ES'], min_kyc_level: 2, min_account_age_days: 30 },
      });
      const young = {
        facts: playerFacts({ licence: 'ES', account_created_at: '2026-02-19T00:00:00Z' }),
        history: { prior_grants: 0 },
      };
      expect(checkJurisdiction({ offer, at: AFTER_GB_CHANGE }).compliant).toBe(true);
      expect(rulesBroken(checkJurisdiction({ offer, at: AFTER_GB_CHANGE, player: young }))).toEqual([
        'ES_ACCOUNT_NOT_VERIFIED_30_DAYS',
      ]);
    });
  });

  it('Given any offer, When published for BR, Then BR_NO_BONUSES', () => {
    const offer = offerTerms({ eligibility: { licences: ['BR'] } });
    expect(rulesBroken(checkJurisdiction({ offer, at: AFTER_GB_CHANGE }))).toEqual(['BR_NO_BONUSES']);
  });

  it('Given an offer open to every licence, When published, Then it is checked against every policy', () => {
    const offer = offerTerms({ eligibility: { licences: null } });
    const check = checkJurisdiction({ offer, at: AFTER_GB_CHANGE });
    expect(Object.keys(check.policy_versions).sort()).toEqual(['BR', 'DK', 'ES', 'GB', 'NL', 'SE']);
    expect(rulesBroken(check)).toEqual(
      expect.arrayContaining(['BR_NO_BONUSES', 'DK_BONUS_ABOVE_DKK_1000', 'ES_ACCOUNT_NOT_VERIFIED_30_DAYS']),
    );
  });

  it('Given a licence without a policy (MT), When published, Then nothing applies', () => {
    expect(checkJurisdiction({ offer: offerTerms(), at: AFTER_GB_CHANGE })).toEqual({
      compliant: true,
      violations: [],
      policy_versions: {},
    });
  });
});

describe(policyInForce.name, () => {
  it('Given two GB versions, When asked on the day the second takes effect, Then the second is in force', () => {
    expect(policyInForce(JURISDICTION_POLICIES, 'GB', new Date('2026-01-19T00:00:00Z'))?.version).toBe(2);
  });
});
