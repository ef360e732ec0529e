import { randomUUID } from 'node:crypto';

import { type EventEnvelope, TOPICS } from '@pitboss/contracts';
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
  type ServiceProcess,
  startRelayProcess,
  startServiceProcess,
  startWalletSandbox,
  type TestSchema,
  type TestTopics,
  type WalletSandboxProcess,
} from '@pitboss/testing';
import { walletKeys } from '@pitboss/wallet-client';

import { bonusGrantMigrations } from '../bonus-grant-migrations';
import { aPlayerProfile, offerTerms, publishOffer } from './grants.fixtures';

const TENANT = 'brand-a';
const EUR = (minor_units: number) => ({ minor_units, currency: 'EUR' });
jest.setTimeout(240_000);

/**
 * The grant saga end to end: the built bonus-grant as a process on its own schema and topics, the wallet sandbox,
 * real Keycloak tokens, the outbox relayed to promo.grants.v1, inbound events published through the registry.
 */
describe('bonus-grant grants (real Kafka, registry, Postgres, Redis, Keycloak, wallet sandbox)', () => {
  let db: TestSchema;
  let topics: TestTopics;
  let sandbox: WalletSandboxProcess;
  let relay: RelayProcess;
  let service: ServiceProcess;
  let collector: EventCollector;
  let token: string;
  let seq = 0;
  const run = randomUUID().slice(0, 8);

  beforeAll(async () => {
    [db, topics, sandbox, token] = await Promise.all([
      createTestSchema([...eventStoreMigrations, ...bonusGrantMigrations], 'bg'),
      provisionTestTopics('bg'),
      startWalletSandbox(),
      issueToken('brand-a-ops-1', { scope: 'promo:issue promo:revoke' }),
    ]);
    relay = startRelayProcess([db.schema], topics.env);
    collector = await collectEvents(topics, [TOPICS.promoGrants.name]);
    service = await startServiceProcess('bonus-grant', {
      env: {
        ...topics.env,
        DATABASE_SCHEMA: db.schema,
        DATABASE_MIGRATE_ON_START: 'false',
        WALLET_URL: sandbox.url,
        WALLET_TIMEOUT_MS: '800',
        WALLET_BREAKER_MIN_CALLS: '1000',
        GRANT_CREDIT_MAX_ATTEMPTS: '2',
        GRANT_RETRY_BASE_MS: '100',
        GRANT_RETRY_MAX_MS: '300',
        GRANT_LEASE_MS: '3000',
      },
      waitForLines: ['grant timer loop started', '(group bonus-grant-grants)'],
      startTimeoutMs: 180_000,
    });
  });

  afterAll(async () => {
    await service?.kill('SIGTERM');
    await relay?.kill('SIGTERM');
    await collector?.stop();
    await sandbox?.stop();
    await topics?.cleanup();
    await db?.drop();
  });

  const aPlayer = async (cash = 0) => {
    const playerId = `p-${run}-${++seq}`;
    await Promise.all([
      sandbox.admin.createAccount({ tenantId: TENANT, playerId, cash }),
      aPlayerProfile(db.pool, TENANT, playerId),
    ]);
    return playerId;
  };
  const anOffer = async (overrides = {}, params = {}) => {
    const offerId = `o-${run}-${++seq}`;
    await publishOffer(db.pool, TENANT, offerId, offerTerms(overrides, params));
    return offerId;
  };
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${service.url}${path}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        'x-idempotency-key': randomUUID(),
        'x-trace-id': randomUUID(),
        ...headers,
      },
      body: JSON.stringify(body),
    });
  const grant = async (body: Record<string, unknown>, headers: Record<string, string> = {}) => {
    const response = await post('/v1/bonus/grants', { trigger: 'api', ...body }, headers);
    return { status: response.status, body: (await response.json()) as Record<string, any> };
  };
  const getGrant = async (grantId: string) =>
    (await (
      await fetch(`${service.url}/v1/bonus/grants/${grantId}`, {
        headers: { authorization: `Bearer ${token}` },
      })
    ).json()) as Record<string, any>;
  const statusOf = async (grantId: string) => (await getGrant(grantId))['status'] as string;
  const published = (grantId: string): EventEnvelope[] =>
    collector.received
      .map(({ envelope }) => envelope)
      .filter((envelope) => (envelope.payload as { grant_id?: string }).grant_id === grantId);
  const ledger = (grantId: string) => sandbox.admin.ledger({ tenantId: TENANT, grantId });

  it('issues, credits the bonus sub-balance by key, then announces bonus.issued with the wagering terms', async () => {
    const playerId = await aPlayer();
    const offerId = await anOffer({}, { max_win_minor: 30_000 });
    const key = randomUUID();
    const first = await grant(
      { player_id: playerId, offer_id: offerId, amount_minor: 2_000 },
      { 'x-idempotency-key': key },
    );
    expect(first).toEqual({ status: 201, body: { grant_id: expect.any(String), status: 'issued' } });
    const grantId = first.body['grant_id'] as string;
    await expectEventually(async () => expect(await statusOf(grantId)).toBe('active'));
    expect(await sandbox.admin.balance(TENANT, playerId)).toEqual({ cash: EUR(0), bonus: EUR(2_000) });
    expect((await ledger(grantId)).map((entry) => entry.transaction_id)).toEqual([
      walletKeys.grantCredit(TENANT, grantId),
    ]);
    await expectEventually(() =>
      expect(published(grantId).map((event) => event.payload)).toEqual([
        expect.objectContaining({
          grant_id: grantId,
          offer_id: offerId,
          offer_version: 1,
          amount: EUR(2_000),
          wagering_required: EUR(20_000),
          max_bet: EUR(500),
          max_win: EUR(30_000),
          contribution_schema_version: 1,
          sticky: true,
          trigger: 'api',
        }),
      ]),
    );
    // The same key and body: the first answer again; another body under it: refused.
    const again = await grant(
      { player_id: playerId, offer_id: offerId, amount_minor: 2_000 },
      { 'x-idempotency-key': key },
    );
    expect(again).toEqual(first);
    const other = await grant(
      { player_id: playerId, offer_id: offerId, amount_minor: 1 },
      { 'x-idempotency-key': key },
    );
    expect(other).toMatchObject({ status: 422, body: { error: { code: 'IDEMPOTENCY_MISMATCH' } } });
    expect((await (await fetch(`${service.url}/metrics`)).text()).split('\n')).toContainEqual(
      expect.stringMatching(/^bonus_grant_refusals_total\{.*code="IDEMPOTENCY_MISMATCH".*\} [1-9]/),
    );
  });

  it('refuses bad requests with their codes and changes nothing', async () => {
    const playerId = await aPlayer();
    const offerId = await anOffer();
    const noTrace = await post(
      '/v1/bonus/grants',
      { player_id: playerId, offer_id: offerId, trigger: 'api' },
      { 'x-trace-id': '' },
    );
    expect(noTrace.status).toBe(400);
    const noKey = await post(
      '/v1/bonus/grants',
      { player_id: playerId, offer_id: offerId, trigger: 'api' },
      { 'x-idempotency-key': '' },
    );
    expect(((await noKey.json()) as any).error.code).toBe('IDEMPOTENCY_KEY_MISSING');
    expect(await grant({ player_id: playerId, offer_id: 'nope', amount_minor: 10 })).toMatchObject({
      status: 404,
      body: { error: { code: 'OFFER_NOT_FOUND' } },
    });
    expect(await grant({ player_id: playerId, offer_id: offerId })).toMatchObject({
      status: 400,
      body: { error: { code: 'INVALID_REQUEST' } },
    });
    const kyc = await anOffer({ eligibility: { ...offerTerms().eligibility, min_kyc_level: 3 } });
    expect(await grant({ player_id: playerId, offer_id: kyc, amount_minor: 10 })).toMatchObject({
      status: 422,
      body: {
        error: {
          code: 'PLAYER_NOT_ELIGIBLE',
          failures: [expect.objectContaining({ code: 'KYC_LEVEL_TOO_LOW' })],
        },
      },
    });
    const stranger = `p-${run}-nobody`;
    expect(await grant({ player_id: stranger, offer_id: offerId, amount_minor: 10 })).toMatchObject({
      status: 404,
      body: { error: { code: 'PLAYER_PROFILE_NOT_FOUND' } },
    });
    const paused = `o-${run}-paused`;
    await publishOffer(db.pool, TENANT, paused, offerTerms());
    await db.pool.query(`UPDATE offers SET status = 'paused' WHERE tenant_id = $1 AND offer_id = $2`, [
      TENANT,
      paused,
    ]);
    expect(await grant({ player_id: playerId, offer_id: paused, amount_minor: 10 })).toMatchObject({
      status: 422,
      body: { error: { code: 'OFFER_NOT_ACTIVE' } },
    });
    expect((await db.pool.query('SELECT 1 FROM grants WHERE player_id = $1', [playerId])).rowCount).toBe(0);
  });

  it('holds one active grant per conflict group, naming the blocking grant', async () => {
    const playerId = await aPlayer();
    const first = await anOffer({ conflict_group: `welcome-${run}` });
    const second = await anOffer({ conflict_group: `welcome-${run}` });
    const issued = await grant({ player_id: playerId, offer_id: first, amount_minor: 100 });
    expect(await grant({ player_id: playerId, offer_id: second, amount_minor: 100 })).toMatchObject({
      status: 409,
      body: { error: { code: 'OFFER_CONFLICT', blocking_grant_id: issued.body['grant_id'] } },
    });
  });

  it('gives 50 concurrent identical requests one grant, and a budget for 3 exactly 3 grants of 10 players', async () => {
    const playerId = await aPlayer();
    const offerId = await anOffer();
    const key = randomUUID();
    const answers = await Promise.all(
      Array.from({ length: 50 }, () =>
        grant({ player_id: playerId, offer_id: offerId, amount_minor: 100 }, { 'x-idempotency-key': key }),
      ),
    );
    const ids = new Set(
      answers.filter((answer) => answer.status === 201).map((answer) => answer.body['grant_id']),
    );
    expect(ids.size).toBe(1);
    for (const answer of answers) expect([201, 409]).toContain(answer.status); // 409: IDEMPOTENCY_IN_PROGRESS
    expect((await db.pool.query('SELECT 1 FROM grants WHERE player_id = $1', [playerId])).rowCount).toBe(1);

    const budget = await anOffer({ limits: { ...offerTerms().limits, budget_minor: 300 } });
    const players = await Promise.all(Array.from({ length: 10 }, () => aPlayer()));
    const results = await Promise.all(
      players.map((player) => grant({ player_id: player, offer_id: budget, amount_minor: 100 })),
    );
    expect(results.filter((result) => result.status === 201)).toHaveLength(3);
    expect(results.filter((result) => result.body['error']?.code === 'OFFER_BUDGET_EXHAUSTED')).toHaveLength(
      7,
    );
  });

  it('turns a deposit into one grant, however often the deposit is delivered', async () => {
    const playerId = await aPlayer();
    const offerId = await anOffer({}, { match_pct: 50 });
    const depositId = `d-${run}-1`;
    const deposit = {
      topic: TOPICS.deposits.name,
      eventType: 'deposit.captured',
      tenantId: TENANT,
      playerId,
      payload: {
        deposit_id: depositId,
        amount: EUR(4_000),
        method: 'card',
        psp: 'test',
        captured_at: Date.now(),
      },
    };
    await publishTestEvents(topics, [deposit, deposit, deposit]);
    // Every active deposit offer of the tenant (the earlier tests' too) gives one grant for the deposit, none twice.
    await expectEventually(async () => {
      const { rows } = await db.pool.query(
        `SELECT grant_id, status FROM grants WHERE player_id = $1 AND offer_id = $2`,
        [playerId, offerId],
      );
      expect(rows).toEqual([{ grant_id: expect.any(String), status: 'active' }]);
    });
    const { rows } = await db.pool.query(
      `SELECT count(*)::int AS grants, count(DISTINCT offer_id)::int AS offers FROM grants WHERE player_id = $1`,
      [playerId],
    );
    expect(rows[0].grants).toBe(rows[0].offers);
    const ours = await db.pool.query('SELECT grant_id FROM grants WHERE player_id = $1 AND offer_id = $2', [
      playerId,
      offerId,
    ]);
    const credits = await ledger(ours.rows[0].grant_id);
    expect(credits.map((entry) => [entry.kind, entry.amount])).toEqual([['credit', EUR(2_000)]]);
    // An API retry naming the same deposit gets the same grant.
    const retried = await grant({
      player_id: playerId,
      offer_id: offerId,
      trigger: 'deposit',
      trigger_ref: depositId,
      amount_minor: 4_000,
    });
    expect(retried.status).toBe(200);
  });

  it('aborts on a definitive wallet refusal: bonus.aborted, nothing credited', async () => {
    const playerId = await aPlayer();
    await sandbox.admin.createAccount({ tenantId: TENANT, playerId, blocked: true });
    const issued = await grant({ player_id: playerId, offer_id: await anOffer(), amount_minor: 100 });
    const grantId = issued.body['grant_id'] as string;
    await expectEventually(async () => expect(await statusOf(grantId)).toBe('aborted'));
    await expectEventually(() =>
      expect(published(grantId).map((event) => event.event_type)).toEqual(['bonus.aborted']),
    );
    expect(await ledger(grantId)).toEqual([]);
  });

  it('retries an uncertain credit, past the budget reverses it by key and aborts', async () => {
    const playerId = await aPlayer();
    await sandbox.admin.setFaults({ commit_then_drop_rate: 1, operations: ['credit'] });
    try {
      const issued = await grant({ player_id: playerId, offer_id: await anOffer(), amount_minor: 700 });
      const grantId = issued.body['grant_id'] as string;
      await expectEventually(async () => expect(await statusOf(grantId)).toBe('aborted'), {
        timeoutMs: 60_000,
      });
      expect((await ledger(grantId)).map((entry) => entry.kind)).toEqual(['credit', 'rollback']);
      expect(await sandbox.admin.balance(TENANT, playerId)).toEqual({ cash: EUR(0), bonus: EUR(0) });
    } finally {
      await sandbox.admin.clearFaults();
    }
  });

  it('recovers an uncertain credit with a retry under the same key: one credit', async () => {
    const playerId = await aPlayer();
    await sandbox.admin.setFaults({ error_rate: 1, operations: ['credit'] });
    const issued = await grant({ player_id: playerId, offer_id: await anOffer(), amount_minor: 300 });
    const grantId = issued.body['grant_id'] as string;
    await expectEventually(async () => expect((await getGrant(grantId))['status']).toBe('issued'));
    await sandbox.admin.clearFaults();
    await expectEventually(async () => expect(await statusOf(grantId)).toBe('active'), { timeoutMs: 60_000 });
    expect(await ledger(grantId)).toHaveLength(1);
  });

  it('revokes once: the remaining bonus forfeited by key, bonus.revoked + bonus.forfeited', async () => {
    const playerId = await aPlayer();
    const grantId = (await grant({ player_id: playerId, offer_id: await anOffer(), amount_minor: 900 })).body[
      'grant_id'
    ] as string;
    await expectEventually(async () => expect(await statusOf(grantId)).toBe('active'));
    const key = randomUUID();
    const revoke = () =>
      post(`/v1/bonus/grants/${grantId}/revoke`, { reason: 'terms_breach' }, { 'x-idempotency-key': key });
    const answers = await Promise.all([revoke(), revoke()]);
    // The twin is replayed (200) or told the first is still running (409 IDEMPOTENCY_IN_PROGRESS).
    expect(answers.map((answer) => answer.status)).toContain(200);
    for (const answer of answers) expect([200, 409]).toContain(answer.status);
    await expectEventually(async () => expect(await statusOf(grantId)).toBe('revoked'));
    expect((await revoke()).status).toBe(200);
    expect((await ledger(grantId)).map((entry) => entry.kind)).toEqual(['credit', 'forfeit']);
    await expectEventually(() =>
      expect(published(grantId).map((event) => event.event_type)).toEqual([
        'bonus.issued',
        'bonus.revoked',
        'bonus.forfeited',
      ]),
    );
    expect(published(grantId)[2]?.payload).toMatchObject({ amount: EUR(900), cause: 'revoked' });
  });

  it('expires at expires_at: forfeited by the durable timer, bonus.expired + bonus.forfeited', async () => {
    const playerId = await aPlayer();
    const grantId = (
      await grant({
        player_id: playerId,
        offer_id: await anOffer({}, { validity_days: 0 }),
        amount_minor: 50,
      })
    ).body['grant_id'] as string;
    await expectEventually(async () => expect(await statusOf(grantId)).toBe('expired'));
    expect((await ledger(grantId)).map((entry) => entry.kind)).toEqual(['credit', 'forfeit']);
    await expectEventually(() =>
      expect(published(grantId).map((event) => event.event_type)).toEqual([
        'bonus.issued',
        'bonus.expired',
        'bonus.forfeited',
      ]),
    );
  });

  it('converts on wagering.completed, capped at max win with the excess forfeited', async () => {
    const playerId = await aPlayer();
    const offerId = await anOffer({}, { max_win_minor: 600 });
    const grantId = (await grant({ player_id: playerId, offer_id: offerId, amount_minor: 1_000 })).body[
      'grant_id'
    ] as string;
    await expectEventually(async () => expect(await statusOf(grantId)).toBe('active'));
    await publishTestEvents(topics, [completed(playerId, grantId)]);
    await expectEventually(async () => expect(await statusOf(grantId)).toBe('converted'));
    expect(await sandbox.admin.balance(TENANT, playerId)).toEqual({ cash: EUR(600), bonus: EUR(0) });
    expect((await ledger(grantId)).map((entry) => entry.kind)).toEqual(['credit', 'convert', 'forfeit']);
    await expectEventually(() =>
      expect(published(grantId).map((event) => [event.event_type, event.payload])).toEqual([
        ['bonus.issued', expect.anything()],
        ['bonus.converted', expect.objectContaining({ converted: EUR(600) })],
        ['bonus.forfeited', expect.objectContaining({ amount: EUR(400), cause: 'max_win_cap' })],
      ]),
    );
    // The offer's promo money as its metrics count it: 1,000 credited, 600 of it the cost (converted), 400 back.
    const metrics = await (await fetch(`${service.url}/metrics`)).text();
    const moved = (movement: string) =>
      Number(
        metrics
          .split('\n')
          .find(
            (line) =>
              line.startsWith('bonus_grant_money_minor_units_total{') &&
              line.includes(`offer="${offerId}"`) &&
              line.includes(`movement="${movement}"`),
          )
          ?.split(' ')
          .at(-1),
      );
    expect([moved('credited'), moved('converted'), moved('forfeited')]).toEqual([1_000, 600, 400]);
  });

  it('lets one of completion, revoke and self-exclusion win: one conversion or one forfeit, never both', async () => {
    for (let round = 0; round < 3; round++) {
      const playerId = await aPlayer();
      const grantId = (await grant({ player_id: playerId, offer_id: await anOffer(), amount_minor: 500 }))
        .body['grant_id'] as string;
      await expectEventually(async () => expect(await statusOf(grantId)).toBe('active'));
      await Promise.all([
        publishTestEvents(topics, [completed(playerId, grantId)]),
        post(`/v1/bonus/grants/${grantId}/revoke`, { reason: 'manual' }),
        publishTestEvents(topics, [selfExcluded(playerId)]),
      ]);
      await expectEventually(async () => expect(['converted', 'revoked']).toContain(await statusOf(grantId)));
      const kinds = (await ledger(grantId)).map((entry) => entry.kind);
      expect([
        ['credit', 'convert'],
        ['credit', 'forfeit'],
      ]).toContainEqual(kinds);
    }
  });

  it('revokes every open grant on self-exclusion and issues none after it, a late deposit included', async () => {
    const playerId = await aPlayer();
    const grantId = (await grant({ player_id: playerId, offer_id: await anOffer(), amount_minor: 200 })).body[
      'grant_id'
    ] as string;
    await expectEventually(async () => expect(await statusOf(grantId)).toBe('active'));
    await publishTestEvents(topics, [selfExcluded(playerId)]);
    await expectEventually(async () => expect(await statusOf(grantId)).toBe('revoked'));
    const late = {
      topic: TOPICS.deposits.name,
      eventType: 'deposit.captured',
      tenantId: TENANT,
      playerId,
      payload: {
        deposit_id: `d-${run}-late`,
        amount: EUR(1_000),
        method: 'card',
        psp: '',
        captured_at: Date.now() - 60_000,
      },
    };
    const [lateEvent] = await publishTestEvents(topics, [late]);
    expect(await grant({ player_id: playerId, offer_id: await anOffer(), amount_minor: 10 })).toMatchObject({
      status: 403,
      body: { error: { code: 'SELF_EXCLUDED' } },
    });
    await expectEventually(async () => {
      const { rowCount } = await db.pool.query(
        `SELECT 1 FROM inbox WHERE consumer = 'bonus-grant-grants' AND event_id = $1`,
        [lateEvent!.event_id],
      );
      expect(rowCount).toBe(1);
    });
    const { rows } = await db.pool.query('SELECT grant_id FROM grants WHERE player_id = $1', [playerId]);
    expect(rows).toEqual([{ grant_id: grantId }]);
  });
});

function completed(playerId: string, grantId: string) {
  return {
    topic: TOPICS.promoWagering.name,
    eventType: 'wagering.completed',
    tenantId: TENANT,
    playerId,
    payload: { grant_id: grantId, contributed: EUR(1), required: EUR(1), completing_bet_id: `b-${grantId}` },
  };
}

function selfExcluded(playerId: string) {
  return {
    topic: TOPICS.responsibleGaming.name,
    eventType: 'player.self_excluded',
    tenantId: TENANT,
    playerId,
    payload: { excluded_until: null, reason: 'test' },
  };
}
