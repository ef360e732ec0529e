import { randomUUID } from 'node:crypto';

import { type EventEnvelope, messageKeyOf, TOPICS } from '@pitboss/contracts';
import { eventStoreMigrations } from '@pitboss/event-store';
import { EventPublisher } from '@pitboss/messaging';
import {
  collectEvents,
  createTestSchema,
  type EventCollector,
  expectEventually,
  issueToken,
  provisionTestTopics,
  publishTestEvents,
  type RelayProcess,
  type ServiceProcess,
  startRelayProcess,
  startServiceProcess,
  type TestSchema,
  type TestTopics,
  uniqueTestPrefix,
} from '@pitboss/testing';

import { wageringMigrations } from './migrations/wagering-migrations';

const TENANT = 'brand-a';
const EUR = (minor_units: number) => ({ minor_units, currency: 'EUR' });
const DAY = 86_400_000;

/**
 * wagering-progress on the real stack: the built service as a process, Keycloak tokens, promo.grants.v1 and
 * rgs.settlements.v1 published through the registry as bonus-grant and settle-worker would, its outbox relayed
 * to promo.wagering.v1. Tests run in order on one service.
 */
describe('wagering-progress (real Kafka, registry, Postgres, Keycloak; service as a process)', () => {
  const run = uniqueTestPrefix('wp').replace(/\W/g, '');
  const id = (name: string) => `${run}-${name}`;
  let db: TestSchema;
  let topics: TestTopics;
  let relay: RelayProcess;
  let collector: EventCollector;
  let service: ServiceProcess;
  let author: string;
  let approver: string;
  let reader: string;

  const call = async (method: string, path: string, token: string | null, body?: unknown) => {
    const response = await fetch(`${service.url}${path}`, {
      method,
      headers: {
        ...(token === null ? {} : { authorization: `Bearer ${token}` }),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    const json = response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : undefined;
    return { status: response.status, body: json, text, headers: response.headers };
  };
  const published = (type: string, grantId: string): EventEnvelope[] =>
    collector.received
      .map(({ envelope }) => envelope)
      .filter(
        (envelope) =>
          envelope.event_type === type &&
          ((envelope.payload as { grant_id?: string; schema_id?: string }).grant_id === grantId ||
            (envelope.payload as { schema_id?: string }).schema_id === grantId),
      );

  const publishSchema = async (schemaId: string, rules: unknown[], defaultPct = 0) => {
    const proposed = await call('POST', '/v1/contribution-schemas', author, {
      schema_id: schemaId,
      rules,
      default_pct: defaultPct,
      reason: 'test schema',
    });
    expect(proposed.status).toBe(202);
    const approved = await call(
      'POST',
      `/v1/change-requests/${proposed.body.change_request.id}/approve`,
      approver,
      {},
    );
    expect([approved.status, approved.body?.status]).toEqual([200, 'applied']);
  };

  const issue = async (
    playerId: string,
    grantId: string,
    terms: Record<string, unknown> = {},
    occurredAt = Date.now(),
  ) => {
    const envelope: EventEnvelope = {
      event_id: randomUUID(),
      event_type: 'bonus.issued',
      event_version: 1,
      occurred_at: occurredAt,
      tenant_id: TENANT,
      region: 'local',
      player_id: playerId,
      session_id: null,
      round_id: null,
      trace_id: null,
      causation_id: null,
      idempotency_key: null,
      payload: {
        grant_id: grantId,
        offer_id: 'offer-1',
        amount: EUR(1_000),
        max_bet: EUR(500),
        expires_at: Date.now() + 30 * DAY,
        wagering_required: EUR(1_000),
        wagering_base: 'bonus',
        contribution_schema_id: id('standard'),
        contribution_schema_version: 1,
        wagering_ends_at: Date.now() + 30 * DAY,
        excluded_games: ['excluded-game'],
        ...terms,
      },
    };
    const publisher = new EventPublisher(topics.kafka, topics.codec, topics.naming);
    await publisher.connect();
    try {
      await publisher.publish([
        { topic: TOPICS.promoGrants.name, key: messageKeyOf(envelope), envelope, headers: {} },
      ]);
    } finally {
      await publisher.disconnect();
    }
  };

  const settled = (
    playerId: string,
    betId: string,
    facts: Record<string, unknown> = {},
    eventId?: string,
  ) => ({
    topic: TOPICS.settlements.name,
    eventType: 'bet.settled',
    tenantId: TENANT,
    playerId,
    ...(eventId === undefined ? {} : { eventId }),
    payload: {
      bet_id: betId,
      win: EUR(0),
      wallet_transaction_id: null,
      stake: EUR(100),
      game_id: 'starburst',
      game_type: 'slot',
      provider: 'netent',
      bonus_grant_id: null,
      entitlement_id: null,
      funded_by: 'bonus',
      math_version: null,
      ...facts,
    },
  });

  const receipts = async (grantId: string) => {
    const answer = await call('GET', `/v1/bonus/grants/${grantId}/contributions`, reader);
    expect(answer.status).toBe(200);
    return answer.body.contributions as Array<Record<string, unknown>>;
  };
  const progress = async (grantId: string) =>
    (await call('GET', `/v1/bonus/grants/${grantId}/progress`, reader)).body;

  beforeAll(async () => {
    [db, topics, author, approver, reader] = await Promise.all([
      createTestSchema([...eventStoreMigrations, ...wageringMigrations], 'wagering'),
      provisionTestTopics('wagering'),
      issueToken('brand-a-ops-1', { scope: 'promo:admin' }),
      issueToken('brand-a-ops-2', { scope: 'promo:admin promo:approve' }),
      issueToken('brand-a-ops-1', { scope: 'promo:issue' }),
    ]);
    relay = startRelayProcess([db.schema], topics.env);
    [collector, service] = await Promise.all([
      collectEvents(topics, [TOPICS.promoWagering.name]),
      startServiceProcess('wagering-progress', {
        env: { ...topics.env, DATABASE_SCHEMA: db.schema },
        waitForLines: ['consuming rgs.settlements.v1 and promo.grants.v1'],
      }),
      relay.waitForRole(db.schema, 'active'),
    ]);
  });

  afterAll(async () => {
    await service?.kill('SIGTERM');
    await relay?.kill('SIGTERM');
    await collector?.stop();
    await topics?.cleanup();
    await db?.drop();
  });

  it('publishes contribution schema versions through four-eyes, immutable and audited', async () => {
    const rules = [
      { match: { kind: 'game_type', value: 'slot' }, pct: 10_000 },
      { match: { kind: 'game_type', value: 'table' }, pct: 1_000 },
      { match: { kind: 'provider', value: 'evolution' }, pct: 500 },
      { match: { kind: 'game', value: 'blood-suckers' }, pct: 0 },
    ];
    const proposed = await call('POST', '/v1/contribution-schemas', author, {
      schema_id: id('standard'),
      rules,
      reason: 'launch',
    });
    expect([proposed.status, proposed.body.change_request.status]).toEqual([202, 'pending']);
    const self = await call(
      'POST',
      `/v1/change-requests/${proposed.body.change_request.id}/approve`,
      await issueToken('brand-a-ops-1', { scope: 'promo:admin promo:approve' }),
      {},
    );
    expect([self.status, self.body.error.code]).toEqual([403, 'FOUR_EYES_SELF_APPROVAL']);
    const approved = await call(
      'POST',
      `/v1/change-requests/${proposed.body.change_request.id}/approve`,
      approver,
      {},
    );
    expect([approved.status, approved.body.status]).toEqual([200, 'applied']);
    await publishSchema(id('standard'), [{ match: { kind: 'game_type', value: 'slot' }, pct: 5_000 }]);

    const versions = await call('GET', `/v1/contribution-schemas/${id('standard')}/versions`, author);
    expect(versions.status).toBe(200);
    expect(versions.body.versions.map((v: { version: number }) => v.version)).toEqual([1, 2]);
    expect(versions.body.versions[0].rules).toEqual(rules);
    await expectEventually(() =>
      expect(
        published('contribution_schema.published', id('standard')).map(
          (e) => (e.payload as { version: number }).version,
        ),
      ).toEqual([1, 2]),
    );
    const audited = await db.pool.query(
      `SELECT count(*)::int AS n FROM audit_journal WHERE action = 'contribution_schema.version_published' AND subject = $1`,
      [`contribution_schema:${TENANT}:${id('standard')}`],
    );
    expect(audited.rows[0].n).toBe(2);
    await expect(
      db.pool.query(`UPDATE contribution_schemas SET default_pct_bp = 100 WHERE schema_id = $1`, [
        id('standard'),
      ]),
    ).rejects.toThrow(/immutable/);
  });

  it('refuses bad schemas and bad callers with their codes, recording nothing', async () => {
    const before = await db.pool.query('SELECT count(*)::int AS n FROM change_requests');
    const bad = await call('POST', '/v1/contribution-schemas', author, {
      schema_id: id('bad'),
      rules: [
        { match: { kind: 'game', value: 'a' }, pct: 10_001 },
        { match: { kind: 'game', value: 'b' }, pct: 5 },
        { match: { kind: 'game', value: 'b' }, pct: 6 },
      ],
      reason: 'x',
    });
    expect([bad.status, bad.body.error.code]).toEqual([400, 'INVALID_REQUEST']);
    expect(bad.body.error.fields.map((field: { path: string }) => field.path)).toEqual(['rules.0.pct']);
    const duplicate = await call('POST', '/v1/contribution-schemas', author, {
      schema_id: id('bad'),
      rules: [
        { match: { kind: 'game', value: 'b' }, pct: 5 },
        { match: { kind: 'game', value: 'b' }, pct: 6 },
      ],
      reason: 'x',
    });
    expect(duplicate.body.error).toMatchObject({
      code: 'INVALID_REQUEST',
      fields: [{ path: 'rules.1.match' }],
    });
    expect((await call('POST', '/v1/contribution-schemas', null, {})).body.error.code).toBe(
      'UNAUTHENTICATED',
    );
    expect((await call('POST', '/v1/contribution-schemas', reader, {})).body.error.code).toBe(
      'INSUFFICIENT_SCOPE',
    );
    expect((await call('POST', '/v1/contribution-schemas', 'not-a-token', {})).status).toBe(401);
    const unknown = await call('GET', `/v1/contribution-schemas/${id('nope')}/versions`, author);
    expect([unknown.status, unknown.body.error.code]).toEqual([404, 'CONTRIBUTION_SCHEMA_NOT_FOUND']);
    const after = await db.pool.query('SELECT count(*)::int AS n FROM change_requests');
    expect(after.rows[0].n).toBe(before.rows[0].n);
  });

  it('counts settled bets by rule and pinned version, floors, caps, completes once, and says why a bet added nothing', async () => {
    const player = id('p1');
    const grant = id('g1');
    const other = id('g1-other');
    await issue(player, grant);
    await issue(player, other, { wagering_base: 'deposit_plus_bonus', max_bet: null });
    await expectEventually(async () => expect((await progress(grant)).status).toBe('active'));
    await expectEventually(async () => expect((await progress(other)).status).toBe('active'));
    const first = settled(
      player,
      id('b-table'),
      {
        stake: EUR(99),
        game_type: 'table',
        provider: 'x',
        bonus_grant_id: grant,
      },
      randomUUID(),
    );
    await publishTestEvents(topics, [
      first,
      // Redelivered: the same event again, and the same bet under a new event id.
      first,
      { ...first, eventId: randomUUID() },
      settled(player, id('b-max'), { stake: EUR(501), bonus_grant_id: grant }),
      settled(player, id('b-cash'), { funded_by: 'cash', bonus_grant_id: grant }),
      settled(player, id('b-excluded'), { game_id: 'excluded-game', bonus_grant_id: grant }),
      settled(player, id('b-suckers'), { game_id: 'blood-suckers', bonus_grant_id: grant }),
      settled(player, id('b-other'), { bonus_grant_id: other }),
    ]);
    await expectEventually(async () => expect(await receipts(grant)).toHaveLength(6));
    const byBet = new Map((await receipts(grant)).map((receipt) => [receipt['bet_id'], receipt]));
    expect(byBet.get(id('b-table'))).toMatchObject({
      rule: 'game_type:table',
      schema_version: 1,
      pct_bp: 1_000,
      contribution_minor: 9,
      reason: null,
    });
    expect(byBet.get(id('b-max'))).toMatchObject({ contribution_minor: 0, reason: 'ABOVE_MAX_BET' });
    expect(byBet.get(id('b-cash'))).toMatchObject({ contribution_minor: 0, reason: 'FUNDED_BY_CASH' });
    expect(byBet.get(id('b-excluded'))).toMatchObject({
      rule: 'excluded:excluded-game',
      reason: 'GAME_EXCLUDED',
    });
    expect(byBet.get(id('b-suckers'))).toMatchObject({ rule: 'game:blood-suckers', reason: 'GAME_EXCLUDED' });
    expect(byBet.get(id('b-other'))).toMatchObject({ contribution_minor: 0, reason: 'OTHER_GRANT' });
    expect(await progress(grant)).toMatchObject({
      required_minor: 1_000,
      contributed_minor: 9,
      remaining_minor: 991,
      pct: 0.9,
    });

    // Pinned to v1 (slot 100 %), although v2 (slot 50 %) is published: 500 + 500 → capped at 991 in total.
    await publishTestEvents(topics, [
      settled(player, id('b-slot-1'), { stake: EUR(500), bonus_grant_id: grant }),
      settled(player, id('b-slot-2'), { stake: EUR(500), bonus_grant_id: grant }),
      settled(player, id('b-after'), { stake: EUR(100), bonus_grant_id: grant }),
    ]);
    await expectEventually(async () => expect((await progress(grant)).status).toBe('completed'));
    expect(await progress(grant)).toMatchObject({ contributed_minor: 1_000, remaining_minor: 0, pct: 100 });
    await expectEventually(() => expect(published('wagering.completed', grant)).toHaveLength(1));
    expect(published('wagering.completed', grant)[0]?.payload).toEqual({
      grant_id: grant,
      contributed: EUR(1_000),
      required: EUR(1_000),
      completing_bet_id: id('b-slot-2'),
    });
    await expectEventually(() => expect(published('wagering.progressed', grant)).toHaveLength(3));
    expect(
      published('wagering.progressed', grant).map(
        (e) => (e.payload as { contribution: { minor_units: number } }).contribution.minor_units,
      ),
    ).toEqual([9, 500, 491]);
    const all = await receipts(grant);
    expect(all.map((receipt) => receipt['bet_id'])).not.toContain(id('b-after'));
    const stored = await db.pool.query(
      `SELECT count(*)::int AS n FROM events WHERE stream_id = $1 AND event_type = 'wagering.completed'`,
      [`wagering:${TENANT}:${grant}`],
    );
    expect(stored.rows[0].n).toBe(1);

    // The recompute under v2 and the export with the version used.
    const recomputed = await call('GET', `/v1/bonus/grants/${grant}/recompute?schema_version=2`, reader);
    expect(recomputed.status).toBe(200);
    expect(recomputed.body).toMatchObject({
      pinned: { schema_id: id('standard'), schema_version: 1 },
      recomputed_under: { schema_version: 2 },
      actual_contributed_minor: 1_000,
      // v2 counts slots at 50 % and tables not at all: 250 + 250, and 50 for blood-suckers (no game rule in v2).
      recomputed_contributed_minor: 550,
      difference_minor: -450,
      would_complete: false,
    });
    const csv = await call('GET', `/v1/bonus/grants/${grant}/contributions/export?format=csv`, reader);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const lines = csv.text.trim().split('\r\n');
    expect(lines[0]).toBe(
      'seq,bet_id,bet_at,stake_minor,currency,game_id,provider,game_type,funded_by,schema_id,schema_version,rule,pct_bp,contribution_minor,reason,rolled_back',
    );
    expect(lines).toHaveLength(1 + all.length);
    expect(lines.find((line) => line.includes(id('b-table')))).toContain(
      `,${id('standard')},1,game_type:table,1000,9,,false`,
    );
    const json = await call('GET', `/v1/bonus/grants/${grant}/contributions/export?format=json`, reader);
    expect(json.body.contributions).toEqual(all);
  });

  it('gives a bet placed outside the grant window OUTSIDE_WINDOW', async () => {
    const player = id('p2');
    const grant = id('g2');
    await issue(player, grant, { wagering_ends_at: Date.now() - DAY });
    await expectEventually(async () => expect((await progress(grant)).status).toBe('active'));
    await publishTestEvents(topics, [settled(player, id('b-late'), { bonus_grant_id: grant })]);
    await expectEventually(async () =>
      expect(await receipts(grant)).toEqual([
        expect.objectContaining({ reason: 'OUTSIDE_WINDOW', contribution_minor: 0 }),
      ]),
    );
  });

  it('reverses a rolled-back contribution once, counts a bonus bet that arrived before its grant, and stops at the grant end', async () => {
    const player = id('p3');
    const grant = id('g3');
    // The settled bet is consumed first: it waits for its grant, whose bonus.issued (issued a minute ago) comes late.
    await publishTestEvents(topics, [
      settled(player, id('b-early'), { stake: EUR(300), bonus_grant_id: grant }),
    ]);
    await expectEventually(async () => {
      const waiting = await db.pool.query('SELECT bet_id FROM wagering_waiting_bets WHERE grant_id = $1', [
        grant,
      ]);
      expect(waiting.rows).toEqual([{ bet_id: id('b-early') }]);
    });
    await issue(player, grant, {}, Date.now() - 60_000);
    await expectEventually(async () => {
      const waiting = await db.pool.query('SELECT bet_id FROM wagering_waiting_bets WHERE grant_id = $1', [
        grant,
      ]);
      expect(waiting.rows).toEqual([]);
    });
    await expectEventually(async () => expect((await progress(grant)).contributed_minor).toBe(300));
    await publishTestEvents(topics, [
      {
        topic: TOPICS.settlements.name,
        eventType: 'bet.rolled_back',
        tenantId: TENANT,
        playerId: player,
        payload: { bet_id: id('b-early'), amount: EUR(300), reason: 'test', bonus_grant_id: grant },
      },
    ]);
    await expectEventually(async () => expect((await progress(grant)).contributed_minor).toBe(0));
    await expectEventually(() => expect(published('wagering.reversed', grant)).toHaveLength(1));
    expect(published('wagering.reversed', grant)[0]?.payload).toEqual({
      grant_id: grant,
      bet_id: id('b-early'),
      contribution: EUR(300),
      contributed: EUR(0),
    });
    expect(await receipts(grant)).toEqual([
      expect.objectContaining({
        bet_id: id('b-early'),
        contribution_minor: 0,
        reason: 'ROLLED_BACK',
        rolled_back: true,
      }),
    ]);

    await publishTestEvents(topics, [
      {
        topic: TOPICS.promoGrants.name,
        eventType: 'bonus.revoked',
        tenantId: TENANT,
        playerId: player,
        payload: { grant_id: grant, reason: 'manual' },
      },
    ]);
    await expectEventually(async () => expect((await progress(grant)).status).toBe('ended'));
    await publishTestEvents(topics, [settled(player, id('b-ended'), { bonus_grant_id: grant })]);
    const marker = settled(id('p-marker'), id('b-marker'));
    await publishTestEvents(topics, [marker]);
    await expectEventually(async () => {
      const inbox = await db.pool.query(
        `SELECT count(*)::int AS n FROM inbox WHERE event_type = 'bet.settled'`,
      );
      expect(inbox.rows[0].n).toBeGreaterThanOrEqual(13);
    });
    expect((await receipts(grant)).map((receipt) => receipt['bet_id'])).toEqual([id('b-early')]);
  });

  it('answers the read API errors with their codes', async () => {
    const unknown = await call('GET', `/v1/bonus/grants/${id('none')}/progress`, reader);
    expect([unknown.status, unknown.body.error.code]).toEqual([404, 'WAGERING_NOT_FOUND']);
    expect((await call('GET', `/v1/bonus/grants/${id('none')}/contributions`, reader)).body.error.code).toBe(
      'WAGERING_NOT_FOUND',
    );
    expect(
      (await call('GET', `/v1/bonus/grants/${id('none')}/recompute?schema_version=1`, reader)).body.error
        .code,
    ).toBe('WAGERING_NOT_FOUND');
    const noVersion = await call('GET', `/v1/bonus/grants/${id('g1')}/recompute?schema_version=99`, reader);
    expect([noVersion.status, noVersion.body.error.code]).toEqual([404, 'CONTRIBUTION_SCHEMA_NOT_FOUND']);
    const badQuery = await call('GET', `/v1/bonus/grants/${id('g1')}/recompute?schema_version=zero`, reader);
    expect([badQuery.status, badQuery.body.error.code]).toEqual([400, 'INVALID_REQUEST']);
    expect(
      (await call('GET', `/v1/bonus/grants/${id('g1')}/contributions/export?format=xml`, reader)).body.error
        .code,
    ).toBe('INVALID_REQUEST');
    expect((await call('GET', `/v1/bonus/grants/${id('g1')}/progress`, null)).body.error.code).toBe(
      'UNAUTHENTICATED',
    );
    expect((await call('GET', `/v1/bonus/grants/${id('g1')}/progress`, author)).body.error.code).toBe(
      'INSUFFICIENT_SCOPE',
    );
    const other = await issueToken('brand-b-ops-1', { scope: 'promo:issue' });
    expect((await call('GET', `/v1/bonus/grants/${id('g1')}/progress`, other)).body.error.code).toBe(
      'WAGERING_NOT_FOUND',
    );
    const docs = await call('GET', '/docs/openapi.json', null);
    expect(Object.keys(docs.body.paths)).toEqual(
      expect.arrayContaining([
        '/v1/contribution-schemas',
        '/v1/bonus/grants/{id}/progress',
        '/v1/bonus/grants/{id}/recompute',
      ]),
    );
  });
});
