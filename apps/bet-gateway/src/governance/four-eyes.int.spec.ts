import { randomBytes, randomUUID } from 'node:crypto';

import { TOPICS } from '@pitboss/contracts';
import { createPool } from '@pitboss/event-store';
import { infrastructureConfig } from '@pitboss/platform-config';
import {
  authorizeBody,
  collectEvents,
  type EventCollector,
  expectEventually,
  issueToken,
  type MoneyFleet,
  openTestPlayer,
  type ServiceProcess,
  signedHttpClient,
  startMoneyFleet,
  startServiceProcess,
} from '@pitboss/testing';

// Short, so the expiry case waits for it; every other request is decided well within it.
const TTL_MS = 20_000;
const TENANT = 'brand-a';
const REGION = infrastructureConfig().region;

interface Answer {
  readonly status: number;
  readonly body: any;
}

/**
 * Four-eyes over HTTP on two bet-gateway replicas sharing one schema, with real Keycloak tokens of two distinct
 * brand-a clients (brand-a-ops-1 proposes, brand-a-ops-2 approves), and the approved game configs enforced on
 * authorize. The fleet's signed tenant is brand-a too, so the configs the tokens change are the bets' tenant's.
 */
describe('four-eyes change requests and game config on bet-gateway', () => {
  let fleet: MoneyFleet;
  let replica: ServiceProcess;
  let rounds: EventCollector;
  let db: ReturnType<typeof createPool>;
  let brand: Pick<MoneyFleet, 'tenantId' | 'wallet' | 'http'>;
  const secret = randomBytes(16).toString('hex');
  let author: string;
  let approver: string;
  const gameId = `g-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    fleet = await startMoneyFleet({
      label: 'foureyes',
      settleWorker: false,
      gatewayEnv: {
        TENANT_SECRETS: `${TENANT}:${secret}`,
        CHANGE_REQUEST_TTL_MS: String(TTL_MS),
        DEGRADED_BACKLOG_SAMPLE_MS: '0',
      },
    });
    replica = await startServiceProcess('bet-gateway', { env: fleet.env.gateway });
    brand = {
      tenantId: TENANT,
      wallet: fleet.wallet,
      http: signedHttpClient(fleet.gateway.url, TENANT, secret),
    };
    rounds = await collectEvents(fleet.topics, [TOPICS.rounds.name]);
    db = createPool({
      databaseUrl: infrastructureConfig().databaseUrl,
      schema: fleet.gatewaySchema,
      maxConnections: 2,
    });
    author = await issueToken('brand-a-ops-1', { scope: 'config:write config:approve' });
    approver = await issueToken('brand-a-ops-2', { scope: 'config:approve' });
  }, 240_000);

  afterAll(async () => {
    await db?.end();
    await rounds?.stop();
    await replica?.kill();
    await fleet?.stop();
  });

  async function call(
    method: string,
    path: string,
    token: string | undefined,
    body?: unknown,
    base = fleet.gateway.url,
  ): Promise<Answer> {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: {
        ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: text === '' ? null : JSON.parse(text) };
  }

  const codeOf = (answer: Answer) => [answer.status, answer.body?.error?.code];

  function gameConfig(overrides: Record<string, unknown> = {}) {
    return {
      game_id: gameId,
      region: REGION,
      stake_limits: [{ currency: 'EUR', min_minor_units: 100, max_minor_units: 1_000 }],
      denominations: [50],
      geo_bans: ['US'],
      features: { bonus_buy: true },
      math: {
        version: `${gameId}-1.0`,
        certified_rtp_bp: 9_610,
        rtp_corridor_bp: { min: 9_400, max: 9_750 },
        certificate: 'GLI-19 test',
      },
      ...overrides,
    };
  }

  const submit = (payload: unknown, token = author, reason = 'test change') =>
    call('POST', '/v1/change-requests', token, { kind: 'game_config', payload, reason });
  const approve = (id: string, token = approver) =>
    call('POST', `/v1/change-requests/${id}/approve`, token, {});

  async function versionCount(): Promise<number> {
    const { rows } = await db.query('SELECT count(*)::int AS n FROM config_versions WHERE key = $1', [
      `${gameId}:${REGION}`,
    ]);
    return rows[0].n as number;
  }

  /** Both replicas enforce `version` (their in-memory config, as authorize reads it). */
  async function expectOnBothReplicas(version: number): Promise<void> {
    await expectEventually(async () => {
      for (const base of [fleet.gateway.url, replica.url]) {
        const current = await call('GET', `/v1/games/${gameId}/config`, author, undefined, base);
        expect([base, current.status, current.body?.version]).toEqual([base, 200, version]);
      }
    });
  }

  it("refuses self-approval, applies a second person's approval once, and answers a second approval NOT_PENDING", async () => {
    expect(codeOf(await call('GET', `/v1/games/${gameId}/config`, author))).toEqual([
      404,
      'GAME_CONFIG_NOT_FOUND',
    ]);
    const submitted = await submit(gameConfig());
    expect(submitted.status).toBe(201);
    expect(submitted.body).toMatchObject({
      kind: 'game_config',
      status: 'pending',
      four_eyes: true,
      author: { client_id: 'brand-a-ops-1', tenant_id: TENANT },
    });
    const id = submitted.body.id as string;

    const self = await approve(id, author);
    expect(codeOf(self)).toEqual([403, 'FOUR_EYES_SELF_APPROVAL']);
    expect(await versionCount()).toBe(0);

    const approved = await approve(id);
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ status: 'applied', decided_by: { client_id: 'brand-a-ops-2' } });
    const again = await approve(id);
    expect(codeOf(again)).toEqual([409, 'CHANGE_REQUEST_NOT_PENDING']);
    expect(again.body.error.status).toBe('applied');
    expect(await versionCount()).toBe(1);

    await expectOnBothReplicas(1);
    const versions = await call('GET', `/v1/games/${gameId}/config/versions`, author);
    expect(versions.body.versions).toEqual([expect.objectContaining({ version: 1, change_request_id: id })]);
    const read = await call('GET', `/v1/change-requests/${id}`, approver);
    expect([read.status, read.body.status]).toEqual([200, 'applied']);

    const { rows } = await db.query(
      `SELECT action, actor_client_id FROM audit_journal WHERE subject IN ($1, $2) ORDER BY sequence`,
      [`change_request:${id}`, `game_config:${TENANT}:${gameId}:${REGION}`],
    );
    expect(rows).toEqual([
      { action: 'change_request.submitted', actor_client_id: 'brand-a-ops-1' },
      { action: 'change_request.approved', actor_client_id: 'brand-a-ops-2' },
      { action: 'game_config.version_created', actor_client_id: 'brand-a-ops-2' },
    ]);
  });

  it('applies exactly one of five concurrent approvals (on both replicas at once)', async () => {
    const before = await versionCount();
    const submitted = await submit(gameConfig({ denominations: [10] }));
    const id = submitted.body.id as string;

    const answers = await Promise.all(
      [fleet.gateway.url, replica.url, fleet.gateway.url, replica.url, fleet.gateway.url].map((base) =>
        call('POST', `/v1/change-requests/${id}/approve`, approver, {}, base),
      ),
    );

    expect(answers.filter((answer) => answer.status === 200)).toHaveLength(1);
    expect(answers.filter((answer) => answer.status !== 200).map(codeOf)).toEqual(
      Array.from({ length: 4 }, () => [409, 'CHANGE_REQUEST_NOT_PENDING']),
    );
    expect(await versionCount()).toBe(before + 1);
  });

  it('rejects with a reason, after which the request cannot be approved', async () => {
    const submitted = await submit(gameConfig({ denominations: [25] }));
    const id = submitted.body.id as string;

    expect(codeOf(await call('POST', `/v1/change-requests/${id}/reject`, approver, {}))).toEqual([
      400,
      'INVALID_REQUEST',
    ]);
    const rejected = await call('POST', `/v1/change-requests/${id}/reject`, approver, {
      reason: 'denominations not certified',
    });
    expect(rejected.body).toMatchObject({
      status: 'rejected',
      decision_reason: 'denominations not certified',
    });
    expect(codeOf(await approve(id))).toEqual([409, 'CHANGE_REQUEST_NOT_PENDING']);

    const listed = await call('GET', '/v1/change-requests?status=rejected&kind=game_config', author);
    expect(listed.body.change_requests.map((request: any) => request.id)).toContain(id);
    expect(listed.body.change_requests.every((request: any) => request.status === 'rejected')).toBe(true);
  });

  it('turns a feature off with one person at once, and needs a second person to turn it on again', async () => {
    const current = (await call('GET', `/v1/games/${gameId}/config`, author)).body;
    const off = await submit({ ...current.config, features: { bonus_buy: false } }, author, 'kill switch');
    expect(off.status).toBe(201);
    expect(off.body).toMatchObject({
      status: 'applied',
      four_eyes: false,
      decided_by: { client_id: 'brand-a-ops-1' },
    });
    await expectOnBothReplicas(current.version + 1);

    const on = await submit({ ...current.config, features: { bonus_buy: true } }, author, 'back on');
    expect(on.body).toMatchObject({ status: 'pending', four_eyes: true });
    expect(codeOf(await approve(on.body.id, author))).toEqual([403, 'FOUR_EYES_SELF_APPROVAL']);
    expect((await approve(on.body.id)).body.status).toBe('applied');
    await expectOnBothReplicas(current.version + 2);

    // Going back is a new version equal to an old one.
    const history = (await call('GET', `/v1/games/${gameId}/config/versions`, author)).body.versions;
    expect(history.at(-1).config).toEqual(current.config);
    expect(history.at(-1).version).toBe(current.version + 2);
  });

  it('expires a request nobody approved within CHANGE_REQUEST_TTL_MS (410 CHANGE_REQUEST_EXPIRED)', async () => {
    const submitted = await submit(gameConfig({ denominations: [5] }));
    const id = submitted.body.id as string;
    await new Promise((resolve) => setTimeout(resolve, TTL_MS + 1_000));

    expect(codeOf(await approve(id))).toEqual([410, 'CHANGE_REQUEST_EXPIRED']);
    const listed = await call('GET', '/v1/change-requests?status=expired', approver);
    expect(listed.body.change_requests.map((request: any) => [request.id, request.status])).toContainEqual([
      id,
      'expired',
    ]);
  }, 60_000);

  it('answers bad requests with their codes and records nothing', async () => {
    const before = (await db.query('SELECT count(*)::int AS n FROM change_requests')).rows[0].n;

    const unknownKind = await call('POST', '/v1/change-requests', author, {
      kind: 'jackpot_rules',
      payload: {},
      reason: 'r',
    });
    expect(codeOf(unknownKind)).toEqual([422, 'CHANGE_REQUEST_INVALID']);
    expect(unknownKind.body.error.fields).toEqual([{ path: 'kind', problem: 'unknown change kind' }]);
    const badPayload = await submit(gameConfig({ geo_bans: ['usa'] }));
    expect(codeOf(badPayload)).toEqual([422, 'CHANGE_REQUEST_INVALID']);
    expect(badPayload.body.error.fields[0].path).toBe('payload.geo_bans.0');
    expect(
      codeOf(await call('POST', '/v1/change-requests', author, { kind: 'game_config', payload: {} })),
    ).toEqual([400, 'INVALID_REQUEST']);
    expect(codeOf(await submit(gameConfig(), approver))).toEqual([403, 'INSUFFICIENT_SCOPE']);
    expect(
      codeOf(
        await call('POST', '/v1/change-requests', undefined, {
          kind: 'game_config',
          payload: gameConfig(),
          reason: 'r',
        }),
      ),
    ).toEqual([401, 'UNAUTHENTICATED']);
    expect(codeOf(await call('GET', `/v1/change-requests/${randomUUID()}`, author))).toEqual([
      404,
      'CHANGE_REQUEST_NOT_FOUND',
    ]);
    const otherBrand = await issueToken('brand-b-ops-1', { scope: 'config:approve' });
    const pending = await submit(gameConfig({ denominations: [2] }));
    expect(codeOf(await approve(pending.body.id, otherBrand))).toEqual([404, 'CHANGE_REQUEST_NOT_FOUND']);
    const admin = await issueToken('platform-ops-1', { scope: 'audit:read' });
    expect(codeOf(await call('GET', `/v1/games/${gameId}/config`, admin))).toEqual([
      403,
      'INSUFFICIENT_SCOPE',
    ]);

    expect((await db.query('SELECT count(*)::int AS n FROM change_requests')).rows[0].n).toBe(before + 1);
  });

  it('enforces the config in force on authorize: GEO_BLOCKED, FEATURE_DISABLED, STAKE_OUT_OF_LIMITS; bets carry the math version', async () => {
    const current = (await call('GET', `/v1/games/${gameId}/config`, author)).body;
    const off = await submit({ ...current.config, features: { bonus_buy: false } }, author, 'kill switch');
    expect(off.body.status).toBe('applied');
    await expectOnBothReplicas(current.version + 1);
    const math = current.config.math.version as string;

    const banned = await openTestPlayer(brand, { gameId, country: 'US' });
    const player = await openTestPlayer(brand, { gameId, country: 'DE' });
    const bet = (who: typeof player, overrides: Record<string, unknown> = {}) =>
      brand.http.post('/v1/bets/authorize', authorizeBody(who, { game_id: gameId, ...overrides }), {
        key: randomUUID(),
      });

    const geo = await bet(banned);
    expect([geo.status, geo.body.error.code, geo.body.error.country]).toEqual([403, 'GEO_BLOCKED', 'US']);
    const feature = await bet(player, { features: ['bonus_buy'] });
    expect([feature.status, feature.body.error.code, feature.body.error.feature]).toEqual([
      403,
      'FEATURE_DISABLED',
      'bonus_buy',
    ]);
    const low = await bet(player, { amount: { minor_units: 50, currency: 'EUR' } });
    expect([low.status, low.body.error.code, low.body.error.min]).toEqual([422, 'STAKE_OUT_OF_LIMITS', 100]);

    const body = authorizeBody(player, { game_id: gameId, amount: { minor_units: 300, currency: 'EUR' } });
    expect((await brand.http.post('/v1/bets/authorize', body, { key: randomUUID() })).status).toBe(200);
    const settled = await brand.http.post(
      '/v1/bets/settle',
      { bet_id: body.bet_id, round_id: body.round_id, win: { minor_units: 0, currency: 'EUR' } },
      { key: randomUUID() },
    );
    expect(settled.status).toBe(202);
    await expectEventually(() => {
      const mathOf = (type: string) =>
        rounds.received.find(
          (e) => e.envelope.event_type === type && (e.envelope.payload as any).bet_id === body.bet_id,
        )?.envelope.payload as any;
      expect(mathOf('bet.authorized')?.math_version).toBe(math);
      expect(mathOf('settlement.requested')?.math_version).toBe(math);
    });
  });

  it('audits mode switches with the actor, before/after, reason and trace id', async () => {
    const admin = await issueToken('platform-ops-1', { scope: 'gateway:admin' });
    const traceId = randomBytes(16).toString('hex');
    const response = await fetch(`${fleet.gateway.url}/v1/admin/mode`, {
      method: 'PUT',
      headers: {
        authorization: `Bearer ${admin}`,
        'content-type': 'application/json',
        traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01`,
      },
      body: JSON.stringify({ no_new_sessions: false, reason: 'audit check' }),
    });
    expect(response.status).toBe(200);

    const { rows } = await db.query(
      `SELECT actor_client_id, tenant_id, before, after, reason, trace_id FROM audit_journal
        WHERE action = 'gateway.mode_switched' ORDER BY sequence DESC LIMIT 1`,
    );
    expect(rows[0]).toEqual({
      actor_client_id: 'platform-ops-1',
      tenant_id: 'platform',
      before: null,
      after: { no_new_sessions: false, reason: 'audit check' },
      reason: 'audit check',
      trace_id: traceId,
    });
  });
});
