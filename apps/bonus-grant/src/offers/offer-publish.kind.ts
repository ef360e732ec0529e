import { z } from 'zod';

import { assertDraftEditable, type OfferTerms, statusAfterPublish } from '@pitboss/bonus-domain';
import { PitbossError } from '@pitboss/contracts';
import { type PostgresEventStore, type Transaction } from '@pitboss/event-store';
import { type AppliedChange, type ChangeKind, parseOrInvalid } from '@pitboss/governance';
import { type ChangeFacts, type ChangeRequest } from '@pitboss/governance-domain';

import { expectedStreamVersion, offerPublishedEvent, offerStreamId } from './offer-events';
import { OFFER_PUBLISH_POLICY } from './offer-publish.policy';
import { offerTermsSchema } from './offer-terms.schema';
import { type OfferRecord, type OffersRepository } from './offers.repository';
import { assertCompliant, assertTermsConsistent, pinContributionSchema } from './publication-checks';

/** What a publish request carries: the draft revision it asks to publish and its terms, as the approver sees them. */
export const offerPublishPayloadSchema = z
  .object({
    offer_id: z.string().min(1).max(64),
    draft_revision: z.number().int().min(1),
    terms: offerTermsSchema,
  })
  .strict();

export interface OfferPublishPayload {
  readonly offer_id: string;
  readonly draft_revision: number;
  readonly terms: OfferTerms;
}

/**
 * `offer_publish` (four-eyes, always): publishes the submitted draft revision as the offer's next immutable
 * version, in the approval's transaction: the version row, the offer's new state and offer.published (outbox)
 * commit together with the approval and its audit entries, or not at all. Consistency, regulation and the
 * contribution schema are checked when submitted and again when approved (a policy version or a schema may have
 * come into force in between).
 */
export class OfferPublishKind implements ChangeKind<OfferPublishPayload> {
  readonly policy = OFFER_PUBLISH_POLICY;

  constructor(
    private readonly offers: OffersRepository,
    private readonly store: PostgresEventStore,
  ) {}

  parse(payload: unknown): OfferPublishPayload {
    return parseOrInvalid(offerPublishPayloadSchema, payload) as OfferPublishPayload;
  }

  /** Submit time, holding the offer's row lock: the one pending request per offer is decided here. */
  async facts(tx: Transaction, tenantId: string, payload: OfferPublishPayload): Promise<ChangeFacts> {
    const offer = await this.offers.lock(tx, tenantId, payload.offer_id);
    assertDraftEditable(offer);
    assertSameRevision(offer, payload);
    await this.checkPublishable(tx, tenantId, payload.terms);
    return { onlyDisables: false };
  }

  async apply(tx: Transaction, request: ChangeRequest, payload: OfferPublishPayload): Promise<AppliedChange> {
    const offer = await this.offers.lock(tx, request.tenantId, payload.offer_id);
    if (offer.status === 'retired') {
      throw new PitbossError('OFFER_STATUS_CONFLICT', `offer ${offer.offerId} was retired after the submit`, {
        status: offer.status,
      });
    }
    assertSameRevision(offer, payload);
    const now = new Date();
    const { terms, policyVersions } = await this.checkPublishable(tx, request.tenantId, payload.terms, now);
    const version = (offer.latestVersion ?? 0) + 1;
    const status = statusAfterPublish(offer.status);
    const appended = await this.store.appendToStream(
      tx,
      offerStreamId(offer.tenantId, offer.offerId),
      expectedStreamVersion(offer.streamVersion),
      [offerPublishedEvent({ offerId: offer.offerId, version, terms, changeRequestId: request.id })],
      { tenantId: offer.tenantId, causationId: request.id },
    );
    await this.offers.insertVersion(tx, offer, {
      version,
      terms,
      changeRequestId: request.id,
      policyVersions,
      publishedAt: now,
      revision: payload.draft_revision,
      status,
      streamVersion: appended.nextExpectedVersion,
    });
    return {
      action: 'offer.published',
      subject: offerSubject(offer.tenantId, offer.offerId),
      before: { status: offer.status, version: offer.latestVersion },
      after: { status, version, terms, policy_versions: policyVersions },
    };
  }

  private async checkPublishable(
    tx: Transaction,
    tenantId: string,
    draft: OfferTerms,
    at: Date = new Date(),
  ): Promise<{ terms: OfferTerms; policyVersions: Readonly<Record<string, number>> }> {
    assertTermsConsistent(draft);
    const check = assertCompliant(draft, at);
    const terms = await pinContributionSchema(tx, tenantId, draft);
    return { terms, policyVersions: check.policy_versions };
  }
}

/** The audit subject of an offer. */
export function offerSubject(tenantId: string, offerId: string): string {
  return `offer:${tenantId}:${offerId}`;
}

function assertSameRevision(offer: OfferRecord, payload: OfferPublishPayload): void {
  if (offer.draftRevision !== payload.draft_revision) {
    throw new PitbossError(
      'OFFER_STATUS_CONFLICT',
      `the request is for draft revision ${payload.draft_revision}, the offer's draft is at ${offer.draftRevision}`,
      { status: offer.status },
    );
  }
  if (offer.publishedRevision !== null && offer.publishedRevision >= payload.draft_revision) {
    throw new PitbossError(
      'OFFER_STATUS_CONFLICT',
      `draft revision ${payload.draft_revision} of offer ${offer.offerId} is already published`,
      { status: offer.status },
    );
  }
}
