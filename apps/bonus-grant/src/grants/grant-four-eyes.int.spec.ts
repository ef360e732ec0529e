import { randomUUID } from 'node:crypto';

import { eventStoreMigrations } from '@pitboss/event-store';
import {
  createTestSchema,
  expectEventually,
  issueToken,
  provisionTestTopics,
  type ServiceProcess,
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

type Answer = { status: number; body: any; replayed: boolean };
type Caller = { client: string; scope: string };
// Two principals of the same tenant; each may issue and approve, never their own request.
const OPS_1: Caller = { client: 'brand-a-ops-1', scope: 'promo:issue promo:approve' };
const OPS_2: Caller = { client: 'brand-a-ops-2', scope: 'promo:issue promo:approve' };

/**
 * Four-eyes on grants (issue 9): the built bonus-grant with brand-a's four-eyes amount at 50.00 EUR, real
 * Keycloak principals, Postgres, Redis and the wallet sandbox. A manual grant or one above the amount answers 202
 * with a change request and moves nothing; another principal's approval issues it with every check run again.
 */
describe('bonus-grant four-eyes on grants (real Keycloak, Postgres, Redis, wallet sandbox)', () => {
  let db: TestSchema;
  let topics: TestTopics;
  let sandbox: WalletSandboxProcess;
  let service: ServiceProcess;
  let seq = 0;
  const run = randomUUID().slice(0, 8);

  beforeAll(async () => {
    [db, topics, sandbox] = await Promise.all([
      createTestSchema([...eventStoreMigrations, ...bonusGrantMigrations], 'bgfe'),
      provisionTestTopics('bgfe'),
      startWalletSandbox(),
    ]);
    service = await startServiceProcess('bonus-grant', {
      env: {
        ...topics.env,
        DATABASE_SCHEMA: db.schema,
        DATABASE_MIGRATE_ON_START: 'false',
        WALLET_URL: sandbox.url,
        GRANT_FOUR_EYES_ABOVE_MINOR: '1000000',
        GRANT_FOUR_EYES_ABOVE_MINOR_TENANTS: `${TENANT}:5000`,
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

  const call = async (
    method: string,
    path: string,
    caller: Caller,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Answer> => {
    const response = await fetch(`${service.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${await issueToken(caller.client, { scope: caller.scope })}`,
        'x-trace-id': randomUUID(),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return {
      status: response.status,
      body: text === '' ? null : JSON.parse(text),
      replayed: response.headers.get('idempotent-replayed') === 'true',
    };
  };
  const grant = (body: Record<string, unknown>, key = randomUUID(), caller = OPS_1) =>
    call('POST', '/v1/bonus/grants', caller, { trigger: 'api', ...body }, { 'x-idempotency-key': key });
  const approve = (id: string, caller: Caller) =>
    call('POST', `/v1/change-requests/${id}/approve`, caller, {});
  const codeOf = (answer: Answer) => [answer.status, answer.body?.error?.code];
  const aPlayer = async () => {
    const playerId = `p-${run}-${++seq}`;
    await Promise.all([
      sandbox.admin.createAccount({ tenantId: TENANT, playerId, cash: 0 }),
      aPlayerProfile(db.pool, TENANT, playerId),
    ]);
    return playerId;
  };
  const anOffer = async () => {
    const offerId = `o-${run}-${++seq}`;
    await publishOffer(db.pool, TENANT, offerId, offerTerms({}, { cap_minor: 100_000 }));
    return offerId;
  };
  const grantsOf = async (playerId: string) =>
    (await db.pool.query('SELECT grant_id, status FROM grants WHERE player_id = $1', [playerId])).rows;
  const audit = async (subject: string) =>
    (
      await db.pool.query(
        'SELECT action, actor_client_id FROM audit_journal WHERE subject = $1 ORDER BY sequence',
        [subject],
      )
    ).rows;

  it('holds a grant above the tenant amount (202, nothing moves), replays the key, and issues it on another principal’s approval', async () => {
    const playerId = await aPlayer();
    const offerId = await anOffer();
    const key = randomUUID();
    const held = await grant({ player_id: playerId, offer_id: offerId, amount_minor: 8_000 }, key);
    expect(held).toMatchObject({
      status: 202,
      body: {
        status: 'pending_approval',
        change_request_id: expect.any(String),
        hold_reason: 'above_threshold',
        bonus: EUR(8_000),
      },
    });
    const requestId = held.body.change_request_id as string;
    expect(await grantsOf(playerId)).toEqual([]);
    expect(await sandbox.admin.balance(TENANT, playerId)).toEqual({ cash: EUR(0), bonus: EUR(0) });
    // The same key and body: the 202 again, no second request.
    const again = await grant({ player_id: playerId, offer_id: offerId, amount_minor: 8_000 }, key);
    expect(again).toMatchObject({ status: 202, body: held.body, replayed: true });
    const pending = await call('GET', '/v1/change-requests?kind=bonus_grant&status=pending', OPS_2);
    expect(pending.body.change_requests.filter((r: any) => r.payload.player_id === playerId)).toEqual([
      expect.objectContaining({
        id: requestId,
        kind: 'bonus_grant',
        author: expect.objectContaining({ client_id: 'brand-a-ops-1' }),
        payload: expect.objectContaining({ offer_id: offerId, offer_version: 1, bonus: EUR(8_000) }),
      }),
    ]);

    expect(codeOf(await approve(requestId, OPS_1))).toEqual([403, 'FOUR_EYES_SELF_APPROVAL']);
    expect(await grantsOf(playerId)).toEqual([]);
    const approved = await approve(requestId, OPS_2);
    expect(approved).toMatchObject({ status: 200, body: { status: 'applied' } });
    expect(codeOf(await approve(requestId, OPS_2))).toEqual([409, 'CHANGE_REQUEST_NOT_PENDING']);

    const [issued] = await grantsOf(playerId);
    expect(issued).toBeDefined();
    const grantId = issued!.grant_id as string;
    await expectEventually(async () => expect((await grantsOf(playerId))[0]?.status).toBe('active'));
    expect(await sandbox.admin.balance(TENANT, playerId)).toEqual({ cash: EUR(0), bonus: EUR(8_000) });
    expect(
      (await sandbox.admin.ledger({ tenantId: TENANT, grantId })).map((entry) => entry.transaction_id),
    ).toEqual([walletKeys.grantCredit(TENANT, grantId)]);
    expect(await audit(`change_request:${requestId}`)).toEqual([
      { action: 'change_request.submitted', actor_client_id: 'brand-a-ops-1' },
      { action: 'change_request.approved', actor_client_id: 'brand-a-ops-2' },
    ]);
    expect(await audit(`grant:${grantId}`)).toEqual([
      { action: 'bonus.grant_issued', actor_client_id: 'brand-a-ops-2' },
    ]);
    // The key still answers the 202 it gave: the request's answer, not the grant's.
    expect((await grant({ player_id: playerId, offer_id: offerId, amount_minor: 8_000 }, key)).status).toBe(
      202,
    );
  });

  it('issues a grant at the amount at once, and holds every manual grant whatever its size; a rejection issues nothing', async () => {
    const playerId = await aPlayer();
    const atAmount = await grant({ player_id: playerId, offer_id: await anOffer(), amount_minor: 5_000 });
    expect(atAmount).toMatchObject({ status: 201, body: { status: 'issued' } });

    const other = await aPlayer();
    const manual = await grant({
      player_id: other,
      offer_id: await anOffer(),
      trigger: 'manual',
      trigger_ref: `adj-${run}`,
      amount_minor: 100,
    });
    expect(manual).toMatchObject({ status: 202, body: { hold_reason: 'manual', bonus: EUR(100) } });
    const requestId = manual.body.change_request_id as string;
    const rejected = await call('POST', `/v1/change-requests/${requestId}/reject`, OPS_2, { reason: 'no' });
    expect(rejected).toMatchObject({ status: 200, body: { status: 'rejected' } });
    expect(codeOf(await approve(requestId, OPS_2))).toEqual([409, 'CHANGE_REQUEST_NOT_PENDING']);
    expect(await grantsOf(other)).toEqual([]);
    expect(await sandbox.admin.balance(TENANT, other)).toEqual({ cash: EUR(0), bonus: EUR(0) });
  });

  it('runs every check again at approval: a failing one answers its code and the request stays pending', async () => {
    const playerId = await aPlayer();
    const offerId = await anOffer();
    const held = await grant({ player_id: playerId, offer_id: offerId, amount_minor: 9_000 });
    const requestId = held.body.change_request_id as string;
    await db.pool.query(`UPDATE offers SET status = 'paused' WHERE tenant_id = $1 AND offer_id = $2`, [
      TENANT,
      offerId,
    ]);
    expect(codeOf(await approve(requestId, OPS_2))).toEqual([422, 'OFFER_NOT_ACTIVE']);
    expect((await call('GET', `/v1/change-requests/${requestId}`, OPS_2)).body.status).toBe('pending');
    expect(await grantsOf(playerId)).toEqual([]);
    expect(await audit(`change_request:${requestId}`)).toEqual([
      { action: 'change_request.submitted', actor_client_id: 'brand-a-ops-1' },
    ]);

    // The offer republished with other terms: the request no longer shows what would be issued.
    await db.pool.query(`UPDATE offers SET status = 'active' WHERE tenant_id = $1 AND offer_id = $2`, [
      TENANT,
      offerId,
    ]);
    const cheaper = offerTerms({}, { cap_minor: 6_000 });
    await db.pool.query(
      `INSERT INTO offer_versions (tenant_id, offer_id, version, terms, published_at, change_request_id, policy_versions)
       VALUES ($1, $2, 2, $3, now(), $4, '{}')`,
      [TENANT, offerId, JSON.stringify(cheaper), randomUUID()],
    );
    await db.pool.query(`UPDATE offers SET latest_version = 2 WHERE tenant_id = $1 AND offer_id = $2`, [
      TENANT,
      offerId,
    ]);
    expect(codeOf(await approve(requestId, OPS_2))).toEqual([409, 'GRANT_APPROVAL_STALE']);
    expect(await grantsOf(playerId)).toEqual([]);
  });
});
