import { TOPICS } from '@pitboss/contracts';
import { type EventPublisher } from '@pitboss/messaging';
import {
  expectEventually,
  issueToken,
  publishTestEvents,
  type TestTopics,
  type WalletSandboxProcess,
} from '@pitboss/testing';
import { type Pool } from 'pg';

import { keyOf, type PlatformEvent, profileChanged } from '../platform-simulator/src/platform-events';

/** The realm's brand-a clients: ops-1 issues and authors offers, ops-2 approves them (four-eyes). */
export const TENANT = 'brand-a';
const CALLERS = {
  issuer: { client: 'brand-a-ops-1', scope: 'promo:issue' },
  author: { client: 'brand-a-ops-1', scope: 'promo:admin promo:approve' },
  approver: { client: 'brand-a-ops-2', scope: 'promo:approve' },
} as const;
export type Caller = keyof typeof CALLERS;

/** Keycloak tokens per caller, re-issued after a minute (they live five). */
export function tokenSource(): (caller: Caller) => Promise<string> {
  const cache = new Map<Caller, { token: Promise<string>; at: number }>();
  return (caller) => {
    const cached = cache.get(caller);
    if (cached !== undefined && Date.now() - cached.at < 60_000) return cached.token;
    const { client, scope } = CALLERS[caller];
    const token = issueToken(client, { scope });
    cache.set(caller, { token, at: Date.now() });
    return token;
  };
}

export async function publishEvents(publisher: EventPublisher, events: readonly PlatformEvent[]) {
  for (let i = 0; i < events.length; i += 500)
    await publisher.publish(
      events.slice(i, i + 500).map((event) => ({
        topic: event.topic,
        key: keyOf(event),
        envelope: event.envelope,
        headers: {},
      })),
    );
}

/** Waits until `sql` (one row, column n) reaches `expected`. */
export async function reach(pool: Pool, sql: string, params: unknown[], expected: number, what: string) {
  await expectEventually(
    async () => {
      const n = Number((await pool.query(sql, params)).rows[0].n);
      if (n < expected) throw new Error(`${what}: ${n} of ${expected}`);
    },
    { timeoutMs: 120_000, intervalMs: 200 },
  );
}

/** The wagering service publishes contribution schemas on promo.wagering.v1; an offer with wagering pins one. */
export async function publishContributionSchema(topics: TestTopics, pool: Pool, schemaId: string) {
  await publishTestEvents(topics, [
    {
      topic: TOPICS.promoWagering.name,
      eventType: 'contribution_schema.published',
      tenantId: TENANT,
      playerId: '',
      payload: { schema_id: schemaId, version: 1, rules: [], default_pct_bp: 10_000, published_by: 'bench' },
    },
  ]);
  await reach(
    pool,
    'SELECT count(*) AS n FROM contribution_schemas WHERE schema_id = $1',
    [schemaId],
    1,
    'schema',
  );
}

/** An offer as ops publish one: a draft (`POST /v1/offers`), submitted, approved by another principal. */
export async function publishOffer(
  url: string,
  token: (caller: Caller) => Promise<string>,
  body: Record<string, unknown>,
): Promise<string> {
  const call = async (caller: Caller, path: string, payload: unknown, expected: number) => {
    const response = await fetch(`${url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await token(caller)}`, 'content-type': 'application/json' },
      body: JSON.stringify(payload),
    });
    const answer = (await response.json()) as Record<string, unknown>;
    if (response.status !== expected)
      throw new Error(`POST ${path}: ${response.status} ${JSON.stringify(answer)}`);
    return answer;
  };
  const offerId = (await call('author', '/v1/offers', body, 201))['offer_id'] as string;
  const request = await call('author', `/v1/offers/${offerId}/submit`, { reason: 'bench:grants' }, 201);
  await call('approver', `/v1/change-requests/${request['id'] as string}/approve`, {}, 200);
  return offerId;
}

/** Players as the platform announces them (players.v1 profiles, MT licence) with their wallet accounts. */
export async function registerPlayers(
  publisher: EventPublisher,
  sandbox: WalletSandboxProcess,
  pool: Pool,
  playerIds: readonly string[],
) {
  const accountCreatedAt = new Date(Date.now() - 400 * 86_400_000);
  await publishEvents(
    publisher,
    playerIds.map((playerId) =>
      profileChanged({
        tenantId: TENANT,
        playerId,
        country: 'MT',
        licence: 'MT',
        kycLevel: 2,
        accountCreatedAt,
      }),
    ),
  );
  for (let i = 0; i < playerIds.length; i += 20)
    await Promise.all(
      playerIds
        .slice(i, i + 20)
        .map((playerId) => sandbox.admin.createAccount({ tenantId: TENANT, playerId })),
    );
  await reach(
    pool,
    'SELECT count(*) AS n FROM player_profiles WHERE player_id = ANY($1)',
    [playerIds],
    playerIds.length,
    'player profiles',
  );
}

/** The three offers of the workload, all in EUR with 10× wagering under the bench's contribution schema. */
export function offerBodies(schemaId: string, budgetMinor: number, maxGrants: number) {
  const wagering = { wager_x: 10, sticky: true, max_bet_minor: 500, contribution_schema: { id: schemaId } };
  // Offered under the MT licence only (no jurisdiction policy beyond the offer's own), as the players are.
  const eligibility = { licences: ['MT'], countries: ['MT'] };
  return {
    /** Every deposit: 100 % up to 100.00, no limits (the ledger check expects one grant per deposit). */
    deposit: {
      name: 'bench deposit match',
      type: 'deposit_match',
      currency: 'EUR',
      params: { match_pct: 100, cap_minor: 10_000, ...wagering },
      eligibility,
      priority: 10,
    },
    /** Deposits and API grants: 50 % up to 20.00, with a budget and max grants the workload exhausts. */
    budget: {
      name: 'bench reload with a budget',
      type: 'reload',
      currency: 'EUR',
      params: { match_pct: 50, cap_minor: 2_000, ...wagering },
      eligibility,
      limits: { budget_minor: budgetMinor, max_grants: maxGrants },
    },
    /** API grants: a fixed 5.00. */
    api: {
      name: 'bench no-deposit',
      type: 'no_deposit',
      currency: 'EUR',
      params: { amount_minor: 500, ...wagering },
      eligibility,
    },
  };
}
