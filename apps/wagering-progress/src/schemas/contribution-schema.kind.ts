import { type Transaction } from '@pitboss/event-store';
import { type AppliedChange, type ChangeKind } from '@pitboss/governance';
import { type ChangeFacts, type ChangePolicy, type ChangeRequest } from '@pitboss/governance-domain';

import { type ContributionSchemaDraft, parseContributionSchema } from './contribution-schema.body';
import { type ContributionSchemasRepository } from './contribution-schemas.repository';

export const CONTRIBUTION_SCHEMA_POLICY: ChangePolicy = {
  kind: 'contribution_schema',
  proposeScope: 'promo:admin',
  approveScope: 'promo:approve',
  // A schema decides how much of every bonus bet counts: always a second person.
  rule: { type: 'always' },
};

/**
 * A new contribution schema version through four-eyes: `POST /v1/contribution-schemas` submits it, its approval
 * (`POST /v1/change-requests/{id}/approve`, another principal with promo:approve) publishes the next version in
 * the approval's transaction, with its audit entry and its `contribution_schema.published` event.
 */
export class ContributionSchemaKind implements ChangeKind<ContributionSchemaDraft & { reason: string }> {
  readonly policy = CONTRIBUTION_SCHEMA_POLICY;

  constructor(private readonly schemas: ContributionSchemasRepository) {}

  parse(payload: unknown): ContributionSchemaDraft & { reason: string } {
    return parseContributionSchema(payload);
  }

  async facts(): Promise<ChangeFacts> {
    return { onlyDisables: false };
  }

  async apply(
    tx: Transaction,
    request: ChangeRequest,
    draft: ContributionSchemaDraft & { reason: string },
  ): Promise<AppliedChange> {
    const published = await this.schemas.publishNext(
      tx,
      request.tenantId,
      draft,
      request.author.clientId,
      request.id,
    );
    return {
      action: 'contribution_schema.version_published',
      subject: `contribution_schema:${request.tenantId}:${published.schemaId}`,
      before: published.version === 1 ? null : { version: published.version - 1 },
      after: {
        version: published.version,
        rules: published.rules,
        default_pct_bp: published.defaultPctBp,
      },
    };
  }
}
