import { randomUUID } from 'node:crypto';

import { TOPICS } from '@pitboss/contracts';
import { eventStoreMigrations } from '@pitboss/event-store';
import {
  collectEvents,
  createTestSchema,
  type EventCollector,
  expectEventually,
  issueToken,
  provisionTestTopics,
  publishTestEvents,
  type RelayProcess,
  startRelayProcess,
  startServiceProcess,
  type ServiceProcess,
  type TestSchema,
  type TestTopics,
} from '@pitboss/testing';

import { bonusGrantMigrations } from '../bonus-grant-migrations';

interface Answer {
  readonly status: number;
  readonly body: any;
}

const TENANT = 'brand-a';
const DAY = 86_400_000;

/**
 * bonus-grant's offers API as the built service, on its own topics and schema, with real Keycloak tokens
 * (brand-a-ops-1 authors, brand-a-ops-2 approves), Postgres, Kafka and the registry; the relay publishes its
 * outbox. Player facts arrive on players.v1, rg.v1 and payments.deposits.v1 as the platform would send them.
 */
describe('bonus-grant offers API', () => {
  let topics: TestTopics;
  let db: TestSchema;
  let service: ServiceProcess;
  let relay: RelayProcess;
  let offerEvents: EventCollector;
  const schemaId = `casino-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    [topics, db] = await Promise.all([
      provisionTestTopics('bonus-offers'),
      createTestSchema([...eventStoreMigrations, ...bonusGrantMigrations], 'bgoffers'),
    ]);
    service = await startServiceProcess('bonus-grant', {
      env: { ...topics.env, DATABASE_SCHEMA: db.schema },
      waitForLines: ['(group bonus-grant-facts)'],
    });
    relay = startRelayProcess([db.schema], topics.env);
    offerEvents = await collectEvents(topics, [TOPICS.promoOffers.name]);
    // The wagering service publishes contribution schemas; versions 1..3 of one, so publish pins 3.
    await publishTestEvents(
      topics,
      [1, 2, 3].map((version) => ({
        topic: TOPICS.promoWagering.name,
        eventType: 'contribution_schema.published',
        tenantId: TENANT,
        playerId: '',
        payload: {
          schema_id: schemaId,
          version,
          rules: [],
          default_pct_bp: 10_000,
          published_by: 'wagering',
        },
      })),
    );
    await expectEventually(
      async () => {
        const { rows } = await db.pool.query('SELECT count(*)::int AS n FROM contribution_schemas');
        expect(rows[0].n).toBe(3);
      },
      { timeoutMs: 60_000 },
    );
  }, 300_000);

  afterAll(async () => {
    await offerEvents?.stop();
    await relay?.kill('SIGTERM');
    await service?.kill();
    await topics?.cleanup();
    await db?.drop();
  });

  // Tokens live 5 minutes: a fresh one per call keeps a slow run from failing on expiry.
  const AUTHOR = { client: 'brand-a-ops-1', scope: 'promo:admin promo:approve' };
  const APPROVER = { client: 'brand-a-ops-2', scope: 'promo:approve' };
  type Caller = { client: string; scope: string } | null;

  const call = async (
    method: string,
    path: string,
    caller: Caller = AUTHOR,
    body?: unknown,
  ): Promise<Answer> => {
    const headers: Record<string, string> = {};
    if (caller !== null)
      headers.authorization = `Bearer ${await issueToken(caller.client, { scope: caller.scope })}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${service.url}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: text === '' ? null : JSON.parse(text) };
  };
  const codeOf = (answer: Answer) => [answer.status, answer.body?.error?.code];

  const welcome = (offerId: string, overrides: Record<string, unknown> = {}) => ({
    offer_id: offerId,
    name: 'Welcome 100% up to 100 GBP',
    type: 'deposit_match',
    currency: 'GBP',
    params: {
      match_pct: 100,
      cap_minor: 10_000,
      wager_x: 10,
      sticky: true,
      max_bet_minor: 500,
      validity_days: 30,
      contribution_schema: { id: schemaId },
      qualifying_product: 'casino',
      reward_product: 'casino',
    },
    eligibility: { licences: ['GB'], countries: ['GB'], first_deposit_only: true },
    limits: { once_per_player: true, budget_minor: 1_000_000 },
    conflict_group: 'welcome',
    ...overrides,
  });

  const auditActions = async (offerId: string): Promise<string[]> => {
    const answer = await call(
      'GET',
      `/v1/audit?subject=${encodeURIComponent(`offer:${TENANT}:${offerId}`)}`,
      {
        client: 'brand-a-ops-1',
        scope: 'audit:read',
      },
    );
    expect(answer.status).toBe(200);
    return (answer.body.entries as { action: string }[]).map((entry) => entry.action).reverse();
  };

  it('given a draft, when it is submitted and approved by a second principal, then one immutable version is published once, on Kafka too', async () => {
    const offerId = `welcome-${randomUUID().slice(0, 8)}`;
    const created = await call('POST', '/v1/offers', AUTHOR, welcome(offerId));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      offer_id: offerId,
      status: 'draft',
      draft_revision: 1,
      latest_version: null,
    });
    expect(created.body.draft.params).toMatchObject({ wagering_base: 'bonus', max_win_minor: null });

    const edited = await call('PATCH', `/v1/offers/${offerId}`, AUTHOR, { params: { cap_minor: 20_000 } });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({
      draft_revision: 2,
      draft: { params: { cap_minor: 20_000, match_pct: 100 } },
    });

    const submitted = await call('POST', `/v1/offers/${offerId}/submit`, AUTHOR, {
      reason: 'spring campaign',
    });
    expect(submitted.status).toBe(201);
    expect(submitted.body).toMatchObject({ kind: 'offer_publish', status: 'pending', four_eyes: true });
    expect(submitted.body.payload).toMatchObject({ offer_id: offerId, draft_revision: 2 });
    const requestId = submitted.body.id as string;

    expect(codeOf(await call('PATCH', `/v1/offers/${offerId}`, AUTHOR, { name: 'x' }))).toEqual([
      409,
      'OFFER_PENDING_APPROVAL',
    ]);
    expect(codeOf(await call('POST', `/v1/offers/${offerId}/submit`, AUTHOR, { reason: 'again' }))).toEqual([
      409,
      'OFFER_PENDING_APPROVAL',
    ]);
    expect(codeOf(await call('POST', `/v1/change-requests/${requestId}/approve`, AUTHOR, {}))).toEqual([
      403,
      'FOUR_EYES_SELF_APPROVAL',
    ]);
    expect((await call('GET', `/v1/offers/${offerId}/versions`)).body.versions).toEqual([]);

    const approved = await call('POST', `/v1/change-requests/${requestId}/approve`, APPROVER, {});
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ status: 'applied', decided_by: { client_id: 'brand-a-ops-2' } });
    expect(codeOf(await call('POST', `/v1/change-requests/${requestId}/approve`, APPROVER, {}))).toEqual([
      409,
      'CHANGE_REQUEST_NOT_PENDING',
    ]);

    const offer = await call('GET', `/v1/offers/${offerId}`);
    expect(offer.body).toMatchObject({
      status: 'active',
      latest_version: 1,
      pending_change_request_id: null,
    });
    const versions = (await call('GET', `/v1/offers/${offerId}/versions`)).body.versions;
    expect(versions).toHaveLength(1);
    expect(versions[0]).toMatchObject({
      version: 1,
      status: 'active',
      change_request_id: requestId,
      policy_versions: { GB: 2 },
      params: { cap_minor: 20_000, contribution_schema: { id: schemaId, version: 3 } },
    });

    await expectEventually(
      () => {
        const published = offerEvents.received.filter(
          ({ envelope }) =>
            envelope.event_type === 'offer.published' && envelope.payload.offer_id === offerId,
        );
        expect(published).toHaveLength(1);
        expect(published[0]!.envelope).toMatchObject({ tenant_id: TENANT, causation_id: requestId });
        expect(published[0]!.envelope.payload).toMatchObject({
          version: 1,
          offer_type: 'deposit_match',
          currency: 'GBP',
          contribution_schema_id: schemaId,
          contribution_schema_version: 3,
          change_request_id: requestId,
        });
        expect(JSON.parse(published[0]!.envelope.payload.terms_json as string)).toMatchObject({
          params: { cap_minor: 20_000 },
        });
      },
      { timeoutMs: 60_000 },
    );

    // Published versions are immutable, also for the owner role.
    await expect(
      db.pool.query(`UPDATE offer_versions SET terms = '{}' WHERE offer_id = $1`, [offerId]),
    ).rejects.toThrow(/append-only/);
    expect(await auditActions(offerId)).toEqual([
      'offer.draft_created',
      'offer.draft_edited',
      'offer.published',
    ]);
  }, 180_000);

  it('given an offer that breaks GB and DK rules, when submitted, then 422 OFFER_VIOLATES_REGULATION lists each rule and no request is opened', async () => {
    const offerId = `mixed-${randomUUID().slice(0, 8)}`;
    const body = welcome(offerId, {
      eligibility: { licences: ['GB', 'DK'] },
      params: {
        match_pct: 100,
        cap_minor: 10_000,
        wager_x: 35,
        validity_days: 30,
        contribution_schema: { id: schemaId },
        qualifying_product: 'sports',
        reward_product: 'casino',
      },
    });
    expect((await call('POST', '/v1/offers', AUTHOR, body)).status).toBe(201);

    const refused = await call('POST', `/v1/offers/${offerId}/submit`, AUTHOR, { reason: 'try' });

    expect(codeOf(refused)).toEqual([422, 'OFFER_VIOLATES_REGULATION']);
    expect(
      (refused.body.error.violations as { licence: string; rule: string }[]).map(
        (v) => `${v.licence}:${v.rule}`,
      ),
    ).toEqual([
      'GB:GB_WAGERING_ABOVE_10X',
      'GB:GB_MIXED_PRODUCT',
      'DK:DK_BONUS_ABOVE_DKK_1000',
      'DK:DK_WAGERING_ABOVE_10X',
      'DK:DK_CONDITIONS_UNDER_60_DAYS',
    ]);
    const pending = await call('GET', '/v1/change-requests?status=pending&kind=offer_publish', APPROVER);
    expect(pending.body.change_requests.filter((r: any) => r.payload.offer_id === offerId)).toEqual([]);
    expect((await call('GET', `/v1/offers/${offerId}`)).body.pending_change_request_id).toBeNull();
  }, 120_000);

  it('given player facts on players.v1, rg.v1 and payments.deposits.v1, when a dry run is asked, then every failed condition is listed', async () => {
    const playerId = `p-${randomUUID().slice(0, 8)}`;
    const facts = { tenantId: TENANT, playerId };
    await publishTestEvents(topics, [
      {
        ...facts,
        topic: TOPICS.players.name,
        eventType: 'player.profile_changed',
        payload: {
          brand: 'brand-a-casino',
          country: 'SE',
          licence: 'SE',
          kyc_level: 1,
          segments: ['reactivation'],
          channel: 'web',
          account_created_at: Date.now() - 3 * DAY,
          closed_at: Date.now() - DAY,
        },
      },
      {
        ...facts,
        topic: TOPICS.responsibleGaming.name,
        eventType: 'player.self_excluded',
        payload: { excluded_until: null, reason: '' },
      },
      {
        ...facts,
        topic: TOPICS.deposits.name,
        eventType: 'deposit.captured',
        payload: {
          deposit_id: 'dep-first',
          amount: { minor_units: 2_000, currency: 'GBP' },
          method: 'card',
          psp: 'test',
          captured_at: Date.now() - 2 * DAY,
        },
      },
    ]);
    await expectEventually(
      async () => {
        const { rows } = await db.pool.query(
          `SELECT p.brand, r.self_excluded, d.deposit_id FROM player_profiles p
             JOIN player_rg_states r USING (tenant_id, player_id) JOIN player_first_deposits d USING (tenant_id, player_id)
            WHERE p.player_id = $1`,
          [playerId],
        );
        expect(rows).toEqual([{ brand: 'brand-a-casino', self_excluded: true, deposit_id: 'dep-first' }]);
      },
      { timeoutMs: 60_000 },
    );

    const offerId = `strict-${randomUUID().slice(0, 8)}`;
    const strict = welcome(offerId, {
      eligibility: {
        brands: ['brand-a-sport'],
        segments: ['vip'],
        countries: ['GB'],
        licences: ['GB'],
        channels: ['mobile'],
        min_kyc_level: 2,
        rg_clear: true,
        min_account_age_days: 30,
        first_deposit_only: true,
      },
    });
    expect((await call('POST', '/v1/offers', AUTHOR, strict)).status).toBe(201);

    const dryRun = await call('POST', `/v1/offers/${offerId}/eligibility`, AUTHOR, {
      player_id: playerId,
      context: { deposit_id: 'dep-second' },
    });

    expect(dryRun.status).toBe(200);
    expect(dryRun.body).toMatchObject({
      offer_id: offerId,
      offer_version: null,
      player_id: playerId,
      eligible: false,
    });
    expect(dryRun.body.failures.map((failure: { code: string }) => failure.code)).toEqual([
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
    ]);
    // The first deposit itself qualifies; nothing was granted by asking.
    const first = await call('POST', `/v1/offers/${offerId}/eligibility`, AUTHOR, {
      player_id: playerId,
      context: { deposit_id: 'dep-first' },
    });
    expect(first.body.failures.map((failure: { code: string }) => failure.code)).not.toContain(
      'NOT_FIRST_DEPOSIT',
    );
    expect(
      codeOf(await call('POST', `/v1/offers/${offerId}/eligibility`, AUTHOR, { player_id: 'nobody' })),
    ).toEqual([404, 'PLAYER_PROFILE_NOT_FOUND']);
  }, 120_000);

  it('given a published offer, when paused, resumed and retired, then each emits offer.status_changed and wrong transitions are 409', async () => {
    const offerId = `status-${randomUUID().slice(0, 8)}`;
    expect((await call('POST', '/v1/offers', AUTHOR, welcome(offerId))).status).toBe(201);
    expect(codeOf(await call('POST', `/v1/offers/${offerId}/pause`, AUTHOR))).toEqual([
      409,
      'OFFER_STATUS_CONFLICT',
    ]);
    const submitted = await call('POST', `/v1/offers/${offerId}/submit`, AUTHOR, { reason: 'go' });
    expect(
      (await call('POST', `/v1/change-requests/${submitted.body.id}/approve`, APPROVER, {})).status,
    ).toBe(200);

    expect(
      (await call('POST', `/v1/offers/${offerId}/pause`, AUTHOR, { reason: 'budget review' })).body.status,
    ).toBe('paused');
    expect(codeOf(await call('POST', `/v1/offers/${offerId}/pause`, AUTHOR))).toEqual([
      409,
      'OFFER_STATUS_CONFLICT',
    ]);
    expect((await call('POST', `/v1/offers/${offerId}/resume`, AUTHOR)).body.status).toBe('active');
    expect(
      (await call('POST', `/v1/offers/${offerId}/retire`, AUTHOR, { reason: 'campaign over' })).body.status,
    ).toBe('retired');
    expect(codeOf(await call('PATCH', `/v1/offers/${offerId}`, AUTHOR, { name: 'again' }))).toEqual([
      409,
      'OFFER_STATUS_CONFLICT',
    ]);

    await expectEventually(
      () => {
        const changes = offerEvents.received
          .filter(
            ({ envelope }) =>
              envelope.event_type === 'offer.status_changed' && envelope.payload.offer_id === offerId,
          )
          .map(({ envelope }) => [envelope.payload.status, envelope.payload.reason]);
        expect(changes).toEqual([
          ['paused', 'budget review'],
          ['active', ''],
          ['retired', 'campaign over'],
        ]);
      },
      { timeoutMs: 60_000 },
    );
    expect(await auditActions(offerId)).toEqual([
      'offer.draft_created',
      'offer.published',
      'offer.paused',
      'offer.resumed',
      'offer.retired',
    ]);
    const listed = await call('GET', '/v1/offers?status=retired');
    expect(listed.body.offers.map((o: { offer_id: string }) => o.offer_id)).toContain(offerId);
  }, 180_000);

  it('given bad requests, when sent, then each gets its code and nothing changes', async () => {
    const offerId = `bad-${randomUUID().slice(0, 8)}`;
    expect(codeOf(await call('POST', '/v1/offers', null, welcome(offerId)))).toEqual([
      401,
      'UNAUTHENTICATED',
    ]);
    expect(codeOf(await call('POST', '/v1/offers', APPROVER, welcome(offerId)))).toEqual([
      403,
      'INSUFFICIENT_SCOPE',
    ]);
    expect(codeOf(await call('POST', '/v1/offers', AUTHOR, { ...welcome(offerId), colour: 'red' }))).toEqual([
      400,
      'INVALID_REQUEST',
    ]);
    const inconsistent = await call('POST', '/v1/offers', AUTHOR, welcome(offerId, { type: 'no_deposit' }));
    expect(codeOf(inconsistent)).toEqual([422, 'OFFER_INVALID']);
    expect(inconsistent.body.error.fields.map((field: { path: string }) => field.path)).toEqual([
      'params.match_pct',
      'params.amount_minor',
    ]);
    expect(codeOf(await call('GET', `/v1/offers/${offerId}`))).toEqual([404, 'OFFER_NOT_FOUND']);

    expect((await call('POST', '/v1/offers', AUTHOR, welcome(offerId))).status).toBe(201);
    expect(codeOf(await call('POST', '/v1/offers', AUTHOR, welcome(offerId)))).toEqual([
      409,
      'OFFER_ALREADY_EXISTS',
    ]);
    // Another brand's token does not see brand-a's offer.
    expect(
      codeOf(await call('GET', `/v1/offers/${offerId}`, { client: 'brand-b-ops-1', scope: 'promo:admin' })),
    ).toEqual([404, 'OFFER_NOT_FOUND']);

    const unknownSchema = await call('PATCH', `/v1/offers/${offerId}`, AUTHOR, {
      params: { contribution_schema: { id: 'never-published' } },
    });
    expect(unknownSchema.status).toBe(200);
    const refused = await call('POST', `/v1/offers/${offerId}/submit`, AUTHOR, { reason: 'go' });
    expect(codeOf(refused)).toEqual([422, 'OFFER_INVALID']);
    expect(refused.body.error.fields).toEqual([
      {
        path: 'params.contribution_schema',
        problem: 'no contribution schema never-published has been published',
      },
    ]);
    expect(codeOf(await call('POST', `/v1/offers/${offerId}/submit`, AUTHOR, {}))).toEqual([
      400,
      'INVALID_REQUEST',
    ]);
    const text = await fetch(`${service.url}/v1/offers`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${await issueToken(AUTHOR.client, { scope: AUTHOR.scope })}`,
        'content-type': 'text/plain',
      },
      body: 'hello',
    });
    expect([text.status, ((await text.json()) as any).error.code]).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
    expect((await call('GET', `/v1/offers/${offerId}`)).body).toMatchObject({
      draft_revision: 2,
      status: 'draft',
    });
  }, 120_000);

  it('serves its OpenAPI document at /docs', async () => {
    const response = await fetch(`${service.url}/docs/openapi.json`);
    expect(response.status).toBe(200);
    const document = (await response.json()) as { paths: Record<string, unknown> };
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/v1/offers',
        '/v1/offers/{id}/submit',
        '/v1/offers/{id}/eligibility',
        '/v1/change-requests',
      ]),
    );
  });
});
