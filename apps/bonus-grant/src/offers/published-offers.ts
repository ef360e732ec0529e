import { Inject, Injectable } from '@nestjs/common';
import { type Pool, type PoolClient } from 'pg';

import { type OfferTerms, type PublishedOffer, type PublishedOfferStatus } from '@pitboss/bonus-domain';
import { DATABASE_POOL } from '@pitboss/event-store';

/** A pool or a transaction's connection: reads inside the caller's transaction see its own writes. */
export type Queryable = Pick<Pool | PoolClient, 'query'>;

/**
 * Published offer versions, as the grants saga reads them: the latest version of an offer with the offer's status
 * now, or one named version (a grant made under version 2 keeps version 2's terms). Read as the owner: the saga's
 * callers have already bound the tenant; API reads go through OffersRepository under row-level security.
 */
@Injectable()
export class PublishedOffers {
  constructor(@Inject(DATABASE_POOL) private readonly pool: Pool) {}

  /** The offer's latest published version and current status; null if it does not exist or was never published. */
  async find(tenantId: string, offerId: string, db: Queryable = this.pool): Promise<PublishedOffer | null> {
    const { rows } = await db.query(
      `${SELECT_VERSION} WHERE o.tenant_id = $1 AND o.offer_id = $2 AND v.version = o.latest_version`,
      [tenantId, offerId],
    );
    return rows[0] === undefined ? null : publishedOfferOf(rows[0]);
  }

  /** One version of the offer (its terms as published, the offer's status now); null if there is none. */
  async findVersion(
    tenantId: string,
    offerId: string,
    version: number,
    db: Queryable = this.pool,
  ): Promise<PublishedOffer | null> {
    const { rows } = await db.query(
      `${SELECT_VERSION} WHERE o.tenant_id = $1 AND o.offer_id = $2 AND v.version = $3`,
      [tenantId, offerId, version],
    );
    return rows[0] === undefined ? null : publishedOfferOf(rows[0]);
  }

  /** Every version of the offer, oldest first. */
  async versions(tenantId: string, offerId: string, db: Queryable = this.pool): Promise<PublishedOffer[]> {
    const { rows } = await db.query(
      `${SELECT_VERSION} WHERE o.tenant_id = $1 AND o.offer_id = $2 ORDER BY v.version`,
      [tenantId, offerId],
    );
    return rows.map(publishedOfferOf);
  }
}

export const SELECT_VERSION = `
  SELECT v.tenant_id, v.offer_id, v.version, v.terms, v.published_at, v.change_request_id, v.policy_versions,
         o.status
    FROM offer_versions v JOIN offers o USING (tenant_id, offer_id)`;

interface PublishedOfferRow {
  tenant_id: string;
  offer_id: string;
  version: number;
  terms: OfferTerms;
  published_at: Date;
  change_request_id: string;
  policy_versions: Record<string, number>;
  status: PublishedOfferStatus;
}

export function publishedOfferOf(row: PublishedOfferRow): PublishedOffer {
  return {
    ...row.terms,
    tenant_id: row.tenant_id,
    offer_id: row.offer_id,
    version: row.version,
    status: row.status,
    published_at: row.published_at.toISOString(),
    change_request_id: row.change_request_id,
    policy_versions: row.policy_versions,
  };
}
