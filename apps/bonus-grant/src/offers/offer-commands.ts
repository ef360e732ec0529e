import { randomUUID } from 'node:crypto';

import { Inject, Injectable } from '@nestjs/common';
import { type Pool } from 'pg';

import { type Principal } from '@pitboss/auth';
import {
  assertDraftEditable,
  decideStatusChange,
  type OfferStatusAction,
  type OfferTerms,
} from '@pitboss/bonus-domain';
import { DATABASE_POOL, PostgresEventStore, withTransaction } from '@pitboss/event-store';
import { ChangeRequests, parseOrInvalid, PostgresAuditJournal } from '@pitboss/governance';
import { type ChangeRequest } from '@pitboss/governance-domain';

import { expectedStreamVersion, offerStatusChangedEvent, offerStreamId } from './offer-events';
import { OFFER_PUBLISH_KIND } from './offer-publish.policy';
import { offerSubject, type OfferPublishPayload } from './offer-publish.kind';
import { type EditOffer, mergeDraft, offerTermsSchema } from './offer-terms.schema';
import { type OfferRecord, OffersRepository } from './offers.repository';
import { assertTermsConsistent } from './publication-checks';

/**
 * The offers' write side: drafts, submits (four-eyes change requests of kind offer_publish) and status changes.
 * Each command is one transaction that locks the offer's row and appends its audit entry (actor, before/after,
 * reason, trace id) to the WORM journal with it; status changes emit offer.status_changed through the outbox in
 * the same transaction.
 */
@Injectable()
export class OfferCommands {
  constructor(
    @Inject(DATABASE_POOL) private readonly pool: Pool,
    private readonly offers: OffersRepository,
    private readonly audit: PostgresAuditJournal,
    private readonly store: PostgresEventStore,
    private readonly changeRequests: ChangeRequests,
  ) {}

  async create(
    principal: Principal,
    offerId: string | undefined,
    terms: OfferTerms,
    traceId: string | null,
  ): Promise<OfferRecord> {
    assertTermsConsistent(terms);
    const id = offerId ?? randomUUID();
    return withTransaction(this.pool, async (tx) => {
      await this.offers.insertDraft(tx, principal.tenantId, id, terms, principal.subject);
      await this.audit.append(tx, {
        actor: principal,
        action: 'offer.draft_created',
        subject: offerSubject(principal.tenantId, id),
        after: { draft_revision: 1, terms },
        traceId,
      });
      return this.offers.lock(tx, principal.tenantId, id);
    });
  }

  async edit(
    principal: Principal,
    offerId: string,
    edit: EditOffer,
    traceId: string | null,
  ): Promise<OfferRecord> {
    return withTransaction(this.pool, async (tx) => {
      const offer = await this.offers.lock(tx, principal.tenantId, offerId);
      assertDraftEditable(offer);
      const draft = parseOrInvalid(offerTermsSchema, mergeDraft(offer.draft, edit)) as OfferTerms;
      assertTermsConsistent(draft);
      const revision = await this.offers.updateDraft(tx, offer, draft);
      await this.audit.append(tx, {
        actor: principal,
        action: 'offer.draft_edited',
        subject: offerSubject(offer.tenantId, offerId),
        before: { draft_revision: offer.draftRevision, terms: offer.draft },
        after: { draft_revision: revision, terms: draft },
        traceId,
      });
      return this.offers.lock(tx, principal.tenantId, offerId);
    });
  }

  /**
   * Opens the four-eyes request to publish the draft as it is now (its revision and terms in the payload). The
   * kind checks it under the offer's row lock: 409 while another is pending, 422 when it breaks a regulation.
   */
  async submit(
    principal: Principal,
    offerId: string,
    reason: string,
    traceId: string | null,
  ): Promise<ChangeRequest> {
    const offer = await this.offers.get(principal.tenantId, offerId);
    const payload: OfferPublishPayload = {
      offer_id: offerId,
      draft_revision: offer.draftRevision,
      terms: offer.draft,
    };
    return this.changeRequests.submit(principal, { kind: OFFER_PUBLISH_KIND, payload, reason }, traceId);
  }

  async changeStatus(
    principal: Principal,
    offerId: string,
    action: OfferStatusAction,
    reason: string,
    traceId: string | null,
  ): Promise<OfferRecord> {
    return withTransaction(this.pool, async (tx) => {
      const offer = await this.offers.lock(tx, principal.tenantId, offerId);
      const status = decideStatusChange(offerId, offer.status, action);
      const appended = await this.store.appendToStream(
        tx,
        offerStreamId(offer.tenantId, offerId),
        expectedStreamVersion(offer.streamVersion),
        [offerStatusChangedEvent(offerId, status, reason)],
        { tenantId: offer.tenantId },
      );
      await this.offers.updateStatus(tx, offer, status, appended.nextExpectedVersion);
      await this.audit.append(tx, {
        actor: principal,
        action: `offer.${action === 'pause' ? 'paused' : action === 'resume' ? 'resumed' : 'retired'}`,
        subject: offerSubject(offer.tenantId, offerId),
        before: { status: offer.status },
        after: { status },
        reason,
        traceId,
      });
      return this.offers.lock(tx, principal.tenantId, offerId);
    });
  }
}
