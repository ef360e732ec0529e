import {
  checkJurisdiction,
  type JurisdictionCheck,
  offerTermsProblems,
  type OfferTerms,
} from '@pitboss/bonus-domain';
import { PitbossError } from '@pitboss/contracts';
import { type Transaction } from '@pitboss/event-store';

/** 422 OFFER_INVALID listing every field whose value contradicts another (or names what does not exist). */
export function assertTermsConsistent(terms: OfferTerms): void {
  const problems = offerTermsProblems(terms);
  if (problems.length > 0) throw offerInvalid(problems);
}

/** 422 OFFER_VIOLATES_REGULATION listing every rule of every applicable licence policy the offer breaks. */
export function assertCompliant(terms: OfferTerms, at: Date): JurisdictionCheck {
  const check = checkJurisdiction({ offer: terms, at });
  if (!check.compliant) {
    throw new PitbossError(
      'OFFER_VIOLATES_REGULATION',
      `the offer breaks ${check.violations.length} jurisdiction rule(s): ` +
        check.violations.map((violation) => violation.rule).join(', '),
      { violations: check.violations },
    );
  }
  return check;
}

/**
 * The terms with their contribution schema pinned: the named version, or the latest one bonus-grant has seen on
 * promo.wagering.v1. OFFER_INVALID when the schema (or that version) was never published for the tenant.
 */
export async function pinContributionSchema(
  tx: Transaction,
  tenantId: string,
  terms: OfferTerms,
): Promise<OfferTerms> {
  const schema = terms.params.contribution_schema;
  if (schema === null) return terms;
  const { rows } = await tx.query<{ version: number }>(
    `SELECT max(version) AS version FROM contribution_schemas
      WHERE tenant_id = $1 AND schema_id = $2 AND ($3::int IS NULL OR version = $3)`,
    [tenantId, schema.id, schema.version],
  );
  const version = rows[0]?.version ?? null;
  if (version === null) {
    throw offerInvalid([
      {
        path: 'params.contribution_schema',
        problem:
          schema.version === null
            ? `no contribution schema ${schema.id} has been published`
            : `contribution schema ${schema.id} has no version ${schema.version}`,
      },
    ]);
  }
  return { ...terms, params: { ...terms.params, contribution_schema: { id: schema.id, version } } };
}

function offerInvalid(fields: ReadonlyArray<{ path: string; problem: string }>): PitbossError {
  return new PitbossError(
    'OFFER_INVALID',
    `the offer's terms cannot be published: ${fields.map((field) => `${field.path}: ${field.problem}`).join('; ')}`,
    { fields },
  );
}
