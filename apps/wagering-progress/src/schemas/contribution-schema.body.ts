import { z } from 'zod';

import { parseOrInvalid } from '@pitboss/governance';
import { PitbossError } from '@pitboss/contracts';
import { type ContributionRule, schemaProblems } from '@pitboss/wagering-domain';

const id = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces');

/** Basis points of the stake: 10000 = 100 %, 0 excludes. */
const pct = z.number().int().min(0).max(10_000);

export const contributionRuleSchema = z
  .object({
    match: z
      .object({ kind: z.enum(['game', 'provider', 'game_type']), value: id })
      .strict()
      .openapi({ description: 'What the rule matches: a game id, a provider id or a game type, exactly.' }),
    pct: pct.openapi({ description: 'Contribution in basis points of the stake (10000 = 100 %).' }),
  })
  .strict();

/** `POST /v1/contribution-schemas`: a new version of a schema (the first one creates it). */
export const contributionSchemaBodySchema = z
  .object({
    schema_id: id,
    rules: z.array(contributionRuleSchema).max(1_000),
    default_pct: pct.default(0).openapi({
      description: 'What a game no rule matches contributes; 0 (the default): it does not count.',
    }),
    reason: z.string().min(1).max(500).openapi({ description: 'Why: recorded in the audit journal.' }),
  })
  .strict();

export interface ContributionSchemaDraft {
  readonly schemaId: string;
  readonly rules: readonly ContributionRule[];
  readonly defaultPctBp: number;
}

/** The draft of a body or of a change request's payload; INVALID_REQUEST for shape or rule problems. */
export function parseContributionSchema(value: unknown): ContributionSchemaDraft & { reason: string } {
  const body = parseOrInvalid(contributionSchemaBodySchema, value);
  const rules = body.rules.map((rule) => ({ match: rule.match, pctBp: rule.pct }));
  const problems = schemaProblems(rules, body.default_pct);
  if (problems.length > 0)
    throw new PitbossError(
      'INVALID_REQUEST',
      `invalid contribution schema: ${problems.map((p) => `${p.path}: ${p.problem}`).join('; ')}`,
      { fields: problems },
    );
  return { schemaId: body.schema_id, rules, defaultPctBp: body.default_pct, reason: body.reason };
}
