import { randomUUID } from 'node:crypto';

import { TOPICS } from '@pitboss/contracts';
import { eventStoreMigrations } from '@pitboss/event-store';
import {
  createTestSchema,
  expectEventually,
  issueToken,
  provisionTestTopics,
  publishTestEvents,
  type ServiceProcess,
  startServiceProcess,
  startWalletSandbox,
  type TestSchema,
  type TestTopics,
  type WalletSandboxProcess,
} from '@pitboss/testing';

import { bonusGrantMigrations } from '../bonus-grant-migrations';
import { aPlayerProfile, offerTerms, publishOffer } from './grants.fixtures';

const TENANT = 'brand-a';
const EUR = (minor_units: number) => ({ minor_units, currency: 'EUR' });
jest.setTimeout(240_000);

type Answer = { status: number; body: any };
type Caller = { client: string; scope: string };
const OPS_1: Caller = { client: 'brand-a-ops-1', scope: 'promo:issue promo:approve promo:revoke' };
const OPS_2: Caller = { client: 'brand-a-ops-2', scope: 'promo:issue promo:approve promo:revoke' };

/**
 * Four-eyes and velocity on conversions (issue 10): brand-a converts at most 10.00 EUR and 2 conversions per
 * player in 24 h without a second person. The built bonus-grant, real Keycloak, Postgres, Kafka, registry, Redis
 * and the wallet sandbox; wagering.completed published through the registry as wagering-progress does.
 */
describe('bonus-grant held conversions (real Keycloak, Kafka, Postgres, Redis, wallet sandbox)', () => {
  let db: TestSchema;
  let topics: TestTopics;
  let sandbox: WalletSandboxProcess;
  let service: ServiceProcess;
  let seq = 0;
  const run = randomUUID().slice(0, 8);

  beforeAll(async () => {
    [db, topics, sandbox] = await Promise.all([
      createTestSchema([...eventStoreMigrations, ...bonusGrantMigrations], 'bgcv'),
      provisionTestTopics('bgcv'),
      startWalletSandbox(),
    ]);
    service = await startServiceProcess('bonus-grant', {
      env: {
        ...topics.env,
        DATABASE_SCHEMA: db.schema,
        DATABASE_MIGRATE_ON_START: 'false',
        WALLET_URL: sandbox.url,
        CONVERSION_FOUR_EYES_ABOVE_MINOR_TENANTS: `${TENANT}:1000`,
        GRANT_VELOCITY_CONVERSIONS_PER_24H: '2',
      },
      waitForLines: ['grant timer loop started', '(group bonus-grant-grants)'],
      startTimeoutMs: 180_000,
    });
  });

  afterAll(async () => {
    await service?.kill('SIGTERM');
    await sandbox?.stop();
    await topics?.cleanup();
    await db?.drop();
  });

  const call = async (method: string, path: string, caller: Caller, body?: unknown): Promise<Answer> => {
    const response = await fetch(`${service.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${await issueToken(caller.client, { scope: caller.scope })}`,
        'x-trace-id': randomUUID(),
        'x-idempotency-key': randomUUID(),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: text === '' ? null : JSON.parse(text) };
  };
  const codeOf = (answer: Answer) => [answer.status, answer.body?.error?.code];
  const statusOf = async (grantId: string) =>
    (await call('GET', `/v1/bonus/grants/${grantId}`, OPS_1)).body.status as string;
  const kinds = async (grantId: string) =>
    (await sandbox.admin.ledger({ tenantId: TENANT, grantId })).map((entry) => entry.kind);

  const anActiveGrant = async (amount: number, playerId = `p-${run}-${++seq}`) => {
    if (!(await db.pool.query('SELECT 1 FROM player_profiles WHERE player_id = $1', [playerId])).rowCount)
      await Promise.all([
        sandbox.admin.createAccount({ tenantId: TENANT, playerId, cash: 0 }),
        aPlayerProfile(db.pool, TENANT, playerId),
      ]);
    const offerId = `o-${run}-${++seq}`;
    await publishOffer(db.pool, TENANT, offerId, offerTerms());
    const issued = await call('POST', '/v1/bonus/grants', OPS_1, {
      player_id: playerId,
      offer_id: offerId,
      trigger: 'api',
      amount_minor: amount,
    });
    expect(issued.status).toBe(201);
    const grantId = issued.body.grant_id as string;
    await expectEventually(async () => expect(await statusOf(grantId)).toBe('active'));
    return { playerId, grantId };
  };
  const complete = (playerId: string, grantId: string) =>
    publishTestEvents(topics, [
      {
        topic: TOPICS.promoWagering.name,
        eventType: 'wagering.completed',
        tenantId: TENANT,
        playerId,
        payload: {
          grant_id: grantId,
          contributed: EUR(1),
          required: EUR(1),
          completing_bet_id: `b-${grantId}`,
        },
      },
    ]);
  const heldRequest = async (grantId: string) => {
    let found: any;
    await expectEventually(async () => {
      const list = await call('GET', '/v1/change-requests?kind=bonus_conversion', OPS_1);
      found = list.body.change_requests.filter((request: any) => request.payload.grant_id === grantId);
      expect(found).toHaveLength(1);
    });
    return found[0];
  };
  const audit = async (subject: string) =>
    (
      await db.pool.query(
        'SELECT action, actor_client_id FROM audit_journal WHERE subject = $1 ORDER BY sequence',
        [subject],
      )
    ).rows;

  it('holds a conversion above the tenant amount with a change request; another principal’s approval converts it once', async () => {
    const { playerId, grantId } = await anActiveGrant(2_000);
    await complete(playerId, grantId);
    await expectEventually(async () => expect(await statusOf(grantId)).toBe('conversion_pending_approval'));
    const request = await heldRequest(grantId);
    expect(request).toMatchObject({
      status: 'pending',
      author: { client_id: 'bonus-grant' },
      payload: { grant_id: grantId, convertible: EUR(2_000), reasons: ['above_threshold'] },
    });
    expect((await call('GET', `/v1/bonus/grants/${grantId}`, OPS_1)).body.held_conversion).toMatchObject({
      change_request_id: request.id,
      convertible: EUR(2_000),
    });
    // Redelivered: still one request, nothing moved.
    const [again] = await complete(playerId, grantId);
    await expectEventually(async () => {
      const { rowCount } = await db.pool.query(
        `SELECT 1 FROM inbox WHERE consumer = 'bonus-grant-grants' AND event_id = $1`,
        [again!.event_id],
      );
      expect(rowCount).toBe(1);
    });
    await heldRequest(grantId);
    expect(await kinds(grantId)).toEqual(['credit']);

    const approved = await call('POST', `/v1/change-requests/${request.id}/approve`, OPS_2, {});
    expect(approved).toMatchObject({ status: 200, body: { status: 'applied' } });
    await expectEventually(async () => expect(await statusOf(grantId)).toBe('converted'));
    expect(await kinds(grantId)).toEqual(['credit', 'convert']);
    expect(await sandbox.admin.balance(TENANT, playerId)).toEqual({ cash: EUR(2_000), bonus: EUR(0) });
    expect(codeOf(await call('POST', `/v1/change-requests/${request.id}/approve`, OPS_1, {}))).toEqual([
      409,
      'CHANGE_REQUEST_NOT_PENDING',
    ]);
    expect(await audit(`change_request:${request.id}`)).toEqual([
      { action: 'change_request.submitted', actor_client_id: 'bonus-grant' },
      { action: 'change_request.approved', actor_client_id: 'brand-a-ops-2' },
    ]);
    expect(await audit(`grant:${grantId}`)).toContainEqual({
      action: 'bonus.conversion_approved',
      actor_client_id: 'brand-a-ops-2',
    });
  });

  it('forfeits a rejected conversion: bonus.revoked + bonus.forfeited cause conversion_rejected, nothing converted', async () => {
    const { playerId, grantId } = await anActiveGrant(3_000);
    await complete(playerId, grantId);
    const request = await heldRequest(grantId);
    const rejected = await call('POST', `/v1/change-requests/${request.id}/reject`, OPS_1, {
      reason: 'abuse',
    });
    expect(rejected).toMatchObject({ status: 200, body: { status: 'rejected' } });
    await expectEventually(async () => expect(await statusOf(grantId)).toBe('revoked'));
    expect(await kinds(grantId)).toEqual(['credit', 'forfeit']);
    expect(await sandbox.admin.balance(TENANT, playerId)).toEqual({ cash: EUR(0), bonus: EUR(0) });
    const { rows } = await db.pool.query(
      `SELECT data FROM events WHERE stream_id = $1 AND event_type = 'bonus.forfeited'`,
      [`grant:${TENANT}:${grantId}`],
    );
    expect(rows.map((row) => row.data)).toEqual([
      expect.objectContaining({ cause: 'conversion_rejected', amount: EUR(3_000) }),
    ]);
    expect(await audit(`grant:${grantId}`)).toContainEqual({
      action: 'bonus.conversion_rejected',
      actor_client_id: 'brand-a-ops-1',
    });
  });

  it('lets a revoke end a held grant: the approval then answers GRANT_ALREADY_ENDED; raced, one of them wins', async () => {
    const first = await anActiveGrant(1_500);
    await complete(first.playerId, first.grantId);
    const request = await heldRequest(first.grantId);
    expect(
      (await call('POST', `/v1/bonus/grants/${first.grantId}/revoke`, OPS_1, { reason: 'manual' })).status,
    ).toBe(200);
    await expectEventually(async () => expect(await statusOf(first.grantId)).toBe('revoked'));
    expect(codeOf(await call('POST', `/v1/change-requests/${request.id}/approve`, OPS_2, {}))).toEqual([
      409,
      'GRANT_ALREADY_ENDED',
    ]);
    expect(await kinds(first.grantId)).toEqual(['credit', 'forfeit']);

    for (let round = 0; round < 3; round++) {
      const { playerId, grantId } = await anActiveGrant(1_200);
      await complete(playerId, grantId);
      const raced = await heldRequest(grantId);
      await Promise.all([
        call('POST', `/v1/change-requests/${raced.id}/approve`, OPS_2, {}),
        call('POST', `/v1/bonus/grants/${grantId}/revoke`, OPS_1, { reason: 'manual' }),
      ]);
      await expectEventually(async () => expect(['converted', 'revoked']).toContain(await statusOf(grantId)));
      expect([
        ['credit', 'convert'],
        ['credit', 'forfeit'],
      ]).toContainEqual(await kinds(grantId));
    }
  });

  it('converts a player’s first 2 conversions in 24 h at once and holds the third (conversion_velocity)', async () => {
    const a = await anActiveGrant(500);
    const b = await anActiveGrant(600, a.playerId);
    const c = await anActiveGrant(700, a.playerId);
    await complete(a.playerId, a.grantId);
    await expectEventually(async () => expect(await statusOf(a.grantId)).toBe('converted'));
    await complete(b.playerId, b.grantId);
    await expectEventually(async () => expect(await statusOf(b.grantId)).toBe('converted'));
    await complete(c.playerId, c.grantId);
    await expectEventually(async () => expect(await statusOf(c.grantId)).toBe('conversion_pending_approval'));
    expect((await heldRequest(c.grantId)).payload).toMatchObject({
      convertible: EUR(700),
      reasons: ['conversion_velocity'],
    });
    expect(await kinds(c.grantId)).toEqual(['credit']);
  });
});
