import { randomUUID } from 'node:crypto';

import { eventStoreMigrations } from '@pitboss/event-store';
import { TOPICS } from '@pitboss/contracts';
import {
  createTestSchema,
  expectEventually,
  issueToken,
  keycloakAdminToken,
  localIssuerUrl,
  provisionTestTopics,
  publishTestEvents,
  startServiceProcess,
  type ServiceProcess,
  type TestSchema,
  type TestTopics,
} from '@pitboss/testing';
import { walletKeys } from '@pitboss/wallet-client';

import { reconciliationMigrations } from '../reconciliation-migrations';

/**
 * Makes the running Keycloak's realm hold `scope` as an optional scope of `clientId`, as
 * tools/stack/keycloak/pitboss-realm.json declares it: a Keycloak started before the scope was added keeps its
 * imported realm (start-dev imports a realm only once). Idempotent; for tests only.
 */
async function ensureRealmScope(scope: string, clientId: string): Promise<void> {
  const admin = `${localIssuerUrl().replace('/realms/', '/admin/realms/')}`;
  const headers = {
    authorization: `Bearer ${await keycloakAdminToken()}`,
    'content-type': 'application/json',
  };
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${admin}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (response.status >= 300 && response.status !== 409)
      throw new Error(`Keycloak ${method} ${path}: ${response.status} ${await response.text()}`);
    return response.status === 200 ? ((await response.json()) as unknown) : undefined;
  };
  const findScope = async () =>
    ((await call('GET', '/client-scopes')) as { id: string; name: string }[]).find((s) => s.name === scope);
  if (!(await findScope()))
    await call('POST', '/client-scopes', {
      name: scope,
      protocol: 'openid-connect',
      attributes: { 'include.in.token.scope': 'true', 'display.on.consent.screen': 'false' },
    });
  const scopeId = (await findScope())!.id;
  const [client] = (await call('GET', `/clients?clientId=${encodeURIComponent(clientId)}`)) as {
    id: string;
  }[];
  await call('PUT', `/clients/${client!.id}/optional-client-scopes/${scopeId}`);
}

const TENANT = 'brand-a';
const today = new Date().toISOString().slice(0, 10);
const eur = (minor_units: number) => ({ minor_units, currency: 'EUR' });

/**
 * The built service as a process on its own topics and schema, with real Keycloak tokens: the mirror fed by
 * events on Kafka, reports uploaded over HTTP (wallet and PSP), the runs read back, the detectors running.
 */
describe('reconciliation service (HTTP API, imports, detectors)', () => {
  let topics: TestTopics;
  let db: TestSchema;
  let service: ServiceProcess;
  let readToken: string;
  let importToken: string;
  const player = `p-${randomUUID().slice(0, 8)}`;
  const bets = Array.from({ length: 4 }, () => `b-${randomUUID()}`);
  const unresolvedBet = `b-${randomUUID()}`;
  const deposits = [`d-${randomUUID()}`, `d-${randomUUID()}`];

  beforeAll(async () => {
    await ensureRealmScope('recon:import', 'brand-a-ops-1');
    [topics, db] = await Promise.all([
      provisionTestTopics('recon-api'),
      createTestSchema([...eventStoreMigrations, ...reconciliationMigrations], 'reconapi'),
    ]);
    service = await startServiceProcess('reconciliation', {
      env: {
        ...topics.env,
        DATABASE_SCHEMA: db.schema,
        RECON_SCHEDULE_UTC: 'off',
        RECON_CHECK_INTERVAL_MS: '500',
        RECON_SETTLEMENT_TIMEOUT_S: '2',
      },
    });
    [readToken, importToken] = await Promise.all([
      issueToken('brand-a-ops-1', { scope: 'recon:read' }),
      issueToken('brand-a-ops-1', { scope: 'recon:read recon:import' }),
    ]);
  }, 240_000);

  afterAll(async () => {
    await service?.kill();
    await topics?.cleanup();
    await db?.drop();
  });

  const api = async (path: string, token: string, init: RequestInit = {}) => {
    const response = await fetch(`${service.url}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${token}`, ...(init.headers ?? {}) },
    });
    return { status: response.status, body: (await response.json()) as Record<string, any> };
  };
  const upload = (csv: string, query: string, token = importToken, contentType = 'text/csv') =>
    api(`/v1/recon/imports?${query}`, token, {
      method: 'POST',
      headers: { 'content-type': contentType },
      body: csv,
    });
  const walletCsv = (rows: [string, string, number][]) =>
    [
      'transaction_id,kind,amount_minor_units,currency,player_id,booked_at',
      ...rows.map(
        ([key, kind, amount]) => `${key},${kind},${amount},EUR,${player},${new Date().toISOString()}`,
      ),
    ].join('\r\n');

  it('given mirrored bets, grants and deposits, when reports are uploaded, then each class is found exactly and the runs API shows them', async () => {
    const grant = `g-${randomUUID()}`;
    const common = { tenantId: TENANT, playerId: player };
    await publishTestEvents(topics, [
      ...bets.map((bet_id) => ({
        ...common,
        topic: TOPICS.rounds.name,
        eventType: 'bet.authorized',
        payload: {
          bet_id,
          game_id: 'starburst',
          game_type: 'slot',
          amount: eur(100),
          bonus_grant_id: null,
          wallet_transaction_id: 'w',
          balance_after: null,
          math_version: null,
          country: null,
          provider: null,
          funded_by: null,
        },
      })),
      {
        ...common,
        topic: TOPICS.promoGrants.name,
        eventType: 'bonus.converted',
        payload: { grant_id: grant, converted: eur(500), wallet_transaction_id: 'w' },
      },
      ...deposits.map((deposit_id) => ({
        ...common,
        topic: TOPICS.deposits.name,
        eventType: 'deposit.captured',
        payload: { deposit_id, amount: eur(2000), method: 'card', psp: 'acme', captured_at: Date.now() },
      })),
    ]);
    await expectEventually(
      async () => {
        const { rows } = await db.pool.query(
          'SELECT ledger, kind, count(*)::int AS n FROM expected_movements GROUP BY 1, 2 ORDER BY 1, 2',
        );
        expect(rows).toEqual([
          { ledger: 'psp', kind: 'deposit', n: 2 },
          { ledger: 'wallet', kind: 'convert', n: 1 },
          { ledger: 'wallet', kind: 'debit', n: 4 },
        ]);
      },
      { timeoutMs: 60_000 },
    );

    // The wallet's report: one debit missing, one twice, one re-priced, the conversion, a stray credit.
    const [b0, b1, b2, b3] = bets.map((bet) => walletKeys.debit(TENANT, bet));
    const wallet = await upload(
      walletCsv([
        [b0!, 'debit', 100],
        [b1!, 'debit', 100],
        [b1!, 'debit', 100],
        [b2!, 'debit', 130],
        [walletKeys.convert(TENANT, grant), 'convert', 500],
        ['adjustment:1', 'credit', 42],
      ]),
      `date=${today}`,
    );
    expect(wallet.status).toBe(201);
    expect(wallet.body['rows']).toBe(6);
    const walletRun = wallet.body['run'] as Record<string, any>;
    expect(walletRun['source']).toBe(`import:${wallet.body['import_id']}`);
    expect(walletRun['class_counts']).toEqual({
      missing_in_wallet: 1,
      unexpected_in_wallet: 1,
      amount_mismatch: 1,
      duplicate: 1,
      late: 0,
    });

    const found = await api(`/v1/recon/runs/${walletRun['run_id']}/discrepancies`, readToken);
    expect(found.status).toBe(200);
    expect(
      (found.body['discrepancies'] as { class: string; transaction_key: string }[])
        .map((d) => [d.class, d.transaction_key])
        .sort(),
    ).toEqual(
      [
        ['amount_mismatch', b2],
        ['duplicate', b1],
        ['missing_in_wallet', b3],
        ['unexpected_in_wallet', 'adjustment:1'],
      ].sort(),
    );
    const page = await api(
      `/v1/recon/runs/${walletRun['run_id']}/discrepancies?class=duplicate&limit=1`,
      readToken,
    );
    expect(page.body['discrepancies']).toHaveLength(1);
    expect(page.body['next_cursor']).not.toBeNull();
    const after = await api(
      `/v1/recon/runs/${walletRun['run_id']}/discrepancies?class=duplicate&limit=1&cursor=${page.body['next_cursor']}`,
      readToken,
    );
    expect([after.status, after.body['discrepancies'], after.body['next_cursor']]).toEqual([200, [], null]);

    // The same report again: a new run, the same figures.
    const rerun = await upload(
      walletCsv([
        [b0!, 'debit', 100],
        [b1!, 'debit', 100],
        [b1!, 'debit', 100],
        [b2!, 'debit', 130],
        [walletKeys.convert(TENANT, grant), 'convert', 500],
        ['adjustment:1', 'credit', 42],
      ]),
      `date=${today}`,
    );
    const rerunRun = rerun.body['run'] as Record<string, any>;
    expect(rerunRun['run_id']).not.toBe(walletRun['run_id']);
    expect([rerunRun['class_counts'], rerunRun['totals']]).toEqual([
      walletRun['class_counts'],
      walletRun['totals'],
    ]);

    // The PSP's report: one deposit matched, one missing, one unknown.
    const psp = await upload(
      [
        'deposit_id,amount_minor_units,currency,player_id,captured_at,method',
        `${deposits[0]},2000,EUR,${player},${new Date().toISOString()},card`,
        `d-unknown,700,EUR,${player},${new Date().toISOString()},card`,
      ].join('\n'),
      `date=${today}&report=psp`,
    );
    expect(psp.status).toBe(201);
    expect((psp.body['run'] as Record<string, any>)['class_counts']).toMatchObject({
      missing_in_wallet: 1,
      unexpected_in_wallet: 1,
      amount_mismatch: 0,
      duplicate: 0,
    });

    const list = await api(`/v1/recon/runs?date=${today}`, readToken);
    expect(list.status).toBe(200);
    expect((list.body['runs'] as { run_id: string }[]).map((r) => r.run_id).sort()).toEqual(
      [walletRun['run_id'], rerunRun['run_id'], (psp.body['run'] as { run_id: string }).run_id].sort(),
    );
    const one = await api(`/v1/recon/runs/${walletRun['run_id']}`, readToken);
    expect([one.status, one.body['run_id'], one.body['alerted']]).toEqual([200, walletRun['run_id'], true]);
  }, 180_000);

  it('given bad requests, then each gets its catalogue code and nothing is recorded', async () => {
    const runsBefore = (await db.pool.query('SELECT count(*)::int AS n FROM recon_runs')).rows[0].n as number;
    const unknownRun = await api(`/v1/recon/runs/${randomUUID()}`, readToken);
    expect([unknownRun.status, unknownRun.body['error']['code']]).toEqual([404, 'RECON_RUN_NOT_FOUND']);
    const badDate = await api('/v1/recon/runs?date=2026-02-30', readToken);
    expect([badDate.status, badDate.body['error']['code']]).toEqual([400, 'INVALID_REQUEST']);
    const badClass = await api(`/v1/recon/runs/${randomUUID()}/discrepancies?class=lost`, readToken);
    expect([badClass.status, badClass.body['error']['code']]).toEqual([400, 'INVALID_REQUEST']);
    const otherTenant = await api('/v1/recon/runs?tenant=brand-b', readToken);
    expect([otherTenant.status, otherTenant.body['error']['code']]).toEqual([403, 'TENANT_MISMATCH']);
    const noToken = await fetch(`${service.url}/v1/recon/runs`);
    expect(noToken.status).toBe(401);
    const readOnly = await upload(walletCsv([]), `date=${today}`, readToken);
    expect([readOnly.status, readOnly.body['error']['code']]).toEqual([403, 'INSUFFICIENT_SCOPE']);
    const json = await upload('{}', `date=${today}`, importToken, 'application/json');
    expect([json.status, json.body['error']['code']]).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
    const badKind = await upload(
      `${walletCsv([['bet:brand-a:x:debit', 'debit', 1]])}\r\nbet:brand-a:y:debit,steal,1,EUR,p,${new Date().toISOString()}`,
      `date=${today}`,
    );
    expect([badKind.status, badKind.body['error']['code']]).toEqual([422, 'RECON_REPORT_INVALID']);
    expect(badKind.body['error']['message']).toContain('line 3');
    const noColumns = await upload('transaction_id,kind\r\nx,debit', `date=${today}`);
    expect([noColumns.status, noColumns.body['error']['code']]).toEqual([422, 'RECON_REPORT_INVALID']);
    const runsAfter = (await db.pool.query('SELECT count(*)::int AS n FROM recon_runs')).rows[0].n as number;
    expect(runsAfter).toBe(runsBefore);
    const imports = await db.pool.query(
      'SELECT count(*)::int AS n FROM imported_report_rows WHERE transaction_key LIKE $1',
      ['bet:brand-a:x:%'],
    );
    expect(imports.rows[0].n).toBe(0);
  }, 60_000);

  it('given a settlement requested and never settled, and a bet settled twice, then the detectors alert each once', async () => {
    const twice = bets[0]!;
    const settled = (bet_id: string) => ({
      topic: TOPICS.settlements.name,
      eventType: 'bet.settled',
      tenantId: TENANT,
      playerId: player,
      payload: {
        bet_id,
        win: eur(300),
        wallet_transaction_id: 'w',
        stake: eur(100),
        game_id: 'starburst',
        game_type: 'slot',
        provider: null,
        bonus_grant_id: null,
        entitlement_id: null,
        funded_by: null,
        math_version: null,
      },
    });
    await publishTestEvents(topics, [
      {
        topic: TOPICS.rounds.name,
        eventType: 'settlement.requested',
        tenantId: TENANT,
        playerId: player,
        payload: {
          bet_id: unresolvedBet,
          win: eur(900),
          math_version: null,
          stake: null,
          game_id: null,
          game_type: null,
          provider: null,
          bonus_grant_id: null,
          entitlement_id: null,
          funded_by: null,
        },
      },
      settled(twice),
      settled(twice),
    ]);
    await expectEventually(
      async () => {
        const { rows } = await db.pool.query(
          `SELECT data->>'class' AS class, data->>'transaction_key' AS key, data->>'detector' AS detector
             FROM events WHERE event_type = 'discrepancy.detected' AND data->>'detector' IS NOT NULL
            ORDER BY 1`,
        );
        expect(rows).toEqual([
          { class: 'settled_twice', key: walletKeys.credit(TENANT, twice), detector: 'settled_twice' },
          {
            class: 'settlement_unresolved',
            key: walletKeys.credit(TENANT, unresolvedBet),
            detector: 'settlement_unresolved',
          },
        ]);
      },
      { timeoutMs: 60_000 },
    );
    const metrics = await (await fetch(`${service.url}/metrics`)).text();
    expect(metrics).toMatch(
      /recon_detector_alerts_total\{detector="settled_twice",tenant="brand-a"[^}]*\} 1/,
    );
    expect(metrics).toMatch(
      /recon_detector_alerts_total\{detector="settlement_unresolved",tenant="brand-a"[^}]*\} 1/,
    );
  }, 120_000);
});
