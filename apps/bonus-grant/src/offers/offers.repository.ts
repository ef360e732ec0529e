import { Inject, Injectable } from '@nestjs/common';
import { type Pool } from 'pg';

import {
  type OfferStatus,
  type OfferTerms,
  type PublishedOffer,
  type PublishedOfferStatus,
} from '@pitboss/bonus-domain';
import { PitbossError } from '@pitboss/contracts';
import { DATABASE_POOL, type Transaction } from '@pitboss/event-store';
import { readAsTenant } from '@pitboss/governance';

import { OFFERS_CONFIG, type OffersConfig } from './offers.config';
import { OFFER_PUBLISH_KIND } from './offer-publish.policy';
import { publishedOfferOf, SELECT_VERSION } from './published-offers';

/** An offer as it is stored: its draft and where its publication stands. */
export interface OfferRecord {
  readonly tenantId: string;
  readonly offerId: string;
  readonly draft: OfferTerms;
  readonly draftRevision: number;
  readonly status: OfferStatus;
  readonly latestVersion: number | null;
  readonly publishedRevision: number | null;
  readonly streamVersion: number;
  readonly createdBy: string;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  /** The publish request waiting for its second person (pending and not expired), if any. */
  readonly pendingChangeRequestId: string | null;
}

const SELECT_OFFER = `
  SELECT o.*,
         (SELECT c.id FROM change_requests c
           WHERE c.tenant_id = o.tenant_id AND c.kind = '${OFFER_PUBLISH_KIND}'
             AND c.payload->>'offer_id' = o.offer_id AND c.status = 'pending' AND c.expires_at > now()
           ORDER BY c.created_at DESC LIMIT 1) AS pending_change_request_id
    FROM offers o`;

/**
 * The offers table. Writes run in the caller's transaction and lock the offer's row first (`FOR UPDATE`), so
 * an edit, a submit, an approval and a status change of one offer never interleave. API reads run as the
 * tenant's reader role (row-level security).
 */
@Injectable()
export class OffersRepository {
  constructor(
    @Inject(DATABASE_POOL) private readonly pool: Pool,
    @Inject(OFFERS_CONFIG) private readonly config: OffersConfig,
  ) {}

  /** A new draft; OFFER_ALREADY_EXISTS when the id is taken. */
  async insertDraft(
    tx: Transaction,
    tenantId: string,
    offerId: string,
    draft: OfferTerms,
    createdBy: string,
  ): Promise<void> {
    const inserted = await tx.query(
      `INSERT INTO offers (tenant_id, offer_id, draft, draft_revision, status, created_by, created_at, updated_at)
       VALUES ($1, $2, $3, 1, 'draft', $4, now(), now()) ON CONFLICT DO NOTHING`,
      [tenantId, offerId, JSON.stringify(draft), createdBy],
    );
    if (inserted.rowCount !== 1) {
      throw new PitbossError('OFFER_ALREADY_EXISTS', `offer ${offerId} already exists`, {
        offer_id: offerId,
      });
    }
  }

  /** The offer, its row locked until the transaction ends; OFFER_NOT_FOUND if there is none. */
  async lock(tx: Transaction, tenantId: string, offerId: string): Promise<OfferRecord> {
    await tx.query('SELECT 1 FROM offers WHERE tenant_id = $1 AND offer_id = $2 FOR UPDATE', [
      tenantId,
      offerId,
    ]);
    const { rows } = await tx.query(`${SELECT_OFFER} WHERE o.tenant_id = $1 AND o.offer_id = $2`, [
      tenantId,
      offerId,
    ]);
    if (rows[0] === undefined) throw offerNotFound(offerId);
    return offerRecordOf(rows[0]);
  }

  async updateDraft(tx: Transaction, offer: OfferRecord, draft: OfferTerms): Promise<number> {
    const revision = offer.draftRevision + 1;
    await tx.query(
      `UPDATE offers SET draft = $3, draft_revision = $4, updated_at = now() WHERE tenant_id = $1 AND offer_id = $2`,
      [offer.tenantId, offer.offerId, JSON.stringify(draft), revision],
    );
    return revision;
  }

  /** Records a published version (immutable) and moves the offer to it. */
  async insertVersion(
    tx: Transaction,
    offer: OfferRecord,
    published: {
      version: number;
      terms: OfferTerms;
      changeRequestId: string;
      policyVersions: Readonly<Record<string, number>>;
      publishedAt: Date;
      revision: number;
      status: PublishedOfferStatus;
      streamVersion: number;
    },
  ): Promise<void> {
    await tx.query(
      `INSERT INTO offer_versions (tenant_id, offer_id, version, terms, published_at, change_request_id,
         policy_versions) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        offer.tenantId,
        offer.offerId,
        published.version,
        JSON.stringify(published.terms),
        published.publishedAt,
        published.changeRequestId,
        JSON.stringify(published.policyVersions),
      ],
    );
    await tx.query(
      `UPDATE offers SET latest_version = $3, published_revision = $4, status = $5, stream_version = $6,
         updated_at = now() WHERE tenant_id = $1 AND offer_id = $2`,
      [
        offer.tenantId,
        offer.offerId,
        published.version,
        published.revision,
        published.status,
        published.streamVersion,
      ],
    );
  }

  async updateStatus(
    tx: Transaction,
    offer: OfferRecord,
    status: PublishedOfferStatus,
    streamVersion: number,
  ): Promise<void> {
    await tx.query(
      `UPDATE offers SET status = $3, stream_version = $4, updated_at = now()
        WHERE tenant_id = $1 AND offer_id = $2`,
      [offer.tenantId, offer.offerId, status, streamVersion],
    );
  }

  /** The tenant's offers, newest first (row-level security). */
  list(tenantId: string, status: OfferStatus | undefined, limit: number): Promise<OfferRecord[]> {
    return readAsTenant(this.pool, this.config.schema, tenantId, async (tx) => {
      const { rows } = await tx.query(
        `${SELECT_OFFER} WHERE ($1::text IS NULL OR o.status = $1) ORDER BY o.created_at DESC, o.offer_id LIMIT $2`,
        [status ?? null, limit],
      );
      return rows.map(offerRecordOf);
    });
  }

  /** One offer of the tenant (row-level security); OFFER_NOT_FOUND if none. */
  get(tenantId: string, offerId: string): Promise<OfferRecord> {
    return readAsTenant(this.pool, this.config.schema, tenantId, async (tx) => {
      const { rows } = await tx.query(`${SELECT_OFFER} WHERE o.offer_id = $1`, [offerId]);
      if (rows[0] === undefined) throw offerNotFound(offerId);
      return offerRecordOf(rows[0]);
    });
  }

  /** The offer's published versions, oldest first (row-level security); OFFER_NOT_FOUND for an unknown offer. */
  versions(tenantId: string, offerId: string): Promise<PublishedOffer[]> {
    return readAsTenant(this.pool, this.config.schema, tenantId, async (tx) => {
      const exists = await tx.query('SELECT 1 FROM offers WHERE offer_id = $1', [offerId]);
      if (exists.rowCount === 0) throw offerNotFound(offerId);
      const { rows } = await tx.query(`${SELECT_VERSION} WHERE o.offer_id = $1 ORDER BY v.version`, [
        offerId,
      ]);
      return rows.map(publishedOfferOf);
    });
  }
}

export function offerNotFound(offerId: string): PitbossError {
  return new PitbossError('OFFER_NOT_FOUND', `no offer ${offerId} in your tenant`, { offer_id: offerId });
}

interface OfferRow {
  tenant_id: string;
  offer_id: string;
  draft: OfferTerms;
  draft_revision: number;
  status: OfferStatus;
  latest_version: number | null;
  published_revision: number | null;
  stream_version: number;
  created_by: string;
  created_at: Date;
  updated_at: Date;
  pending_change_request_id: string | null;
}

function offerRecordOf(row: OfferRow): OfferRecord {
  return {
    tenantId: row.tenant_id,
    offerId: row.offer_id,
    draft: row.draft,
    draftRevision: row.draft_revision,
    status: row.status,
    latestVersion: row.latest_version,
    publishedRevision: row.published_revision,
    streamVersion: row.stream_version,
    createdBy: row.created_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    pendingChangeRequestId: row.pending_change_request_id,
  };
}
