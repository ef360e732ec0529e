import { TOPICS } from '@pitboss/contracts';
import { createPool, PostgresEventStore, withTransaction } from '@pitboss/event-store';
import { PostgresAuditJournal, verifyAuditSchema } from '@pitboss/governance';
import { type AuditEntry } from '@pitboss/governance-domain';
import { infrastructureConfig } from '@pitboss/platform-config';
import {
  collectEvents,
  type EventCollector,
  expectEventually,
  issueToken,
  type MoneyFleet,
  startMoneyFleet,
} from '@pitboss/testing';

/**
 * `GET /v1/audit` on the running gateway with real Keycloak tokens, over a journal in its own schema, and the
 * chain head the gateway publishes on audit.v1 every AUDIT_CHECKPOINT_INTERVAL_MS through the real relay.
 */
describe('bet-gateway audit journal', () => {
  let fleet: MoneyFleet;
  let audit: EventCollector;
  let db: ReturnType<typeof createPool>;
  let journal: PostgresAuditJournal;
  const appended: AuditEntry[] = [];

  const record = (tenantId: string, subject: string, action: string, clientId = `${tenantId}-ops-1`) =>
    withTransaction(db, (tx) =>
      journal.append(tx, {
        actor: { subject: `sub-${clientId}`, clientId, tenantId },
        action,
        subject,
        before: { enabled: true },
        after: { enabled: false },
        reason: `${action} on ${subject}`,
        traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
        // A minute apart, so the time filters' bounds are unambiguous.
        occurredAt: new Date(Date.parse('2026-01-01T10:00:00Z') + appended.length * 60_000),
      }),
    );

  beforeAll(async () => {
    fleet = await startMoneyFleet({
      label: 'gwaudit',
      settleWorker: false,
      gatewayEnv: { AUDIT_CHECKPOINT_INTERVAL_MS: '500' },
    });
    audit = await collectEvents(fleet.topics, [TOPICS.audit.name]);
    db = createPool({
      databaseUrl: infrastructureConfig().databaseUrl,
      schema: fleet.gatewaySchema,
      maxConnections: 2,
    });
    journal = new PostgresAuditJournal(fleet.gatewaySchema, new PostgresEventStore({ region: 'local' }));
    // As admin changes record them (the change-request and config routes): three brands' and the platform's.
    appended.push(
      await record('brand-a', 'game_config:brand-a:starburst:local', 'game_config.version_created'),
    );
    appended.push(
      await record('brand-b', 'game_config:brand-b:starburst:local', 'game_config.version_created'),
    );
    appended.push(
      await record('brand-a', 'feature_flag:brand-a:bonus_buy', 'feature_flag.switched_off', 'brand-a-ops-2'),
    );
    appended.push(await record('platform', 'gateway_mode', 'gateway.mode_switched'));
    appended.push(
      await record(
        'brand-a',
        'game_config:brand-a:starburst:local',
        'change_request.approved',
        'brand-a-ops-2',
      ),
    );
  });

  afterAll(async () => {
    await db?.end();
    await audit?.stop();
    await fleet?.stop();
  });

  const get = async (query: string, token?: string) => {
    const response = await fetch(`${fleet.gateway.url}/v1/audit${query}`, {
      headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
    });
    return { status: response.status, body: (await response.json()) as any };
  };
  const reader = (clientId: string) => issueToken(clientId, { scope: 'audit:read' });

  it("answers a brand's token with its own entries only, newest first, every field of the chain", async () => {
    const answer = await get('', await reader('brand-a-ops-1'));

    expect(answer.status).toBe(200);
    expect(answer.body.entries.map((entry: AuditEntry) => entry.sequence)).toEqual([5, 3, 1]);
    expect(answer.body.entries[2]).toEqual(appended[0]);
    expect(answer.body.entries[2]).toMatchObject({
      actor: { subject: 'sub-brand-a-ops-1', client_id: 'brand-a-ops-1', tenant_id: 'brand-a' },
      before: { enabled: true },
      after: { enabled: false },
      trace_id: '4bf92f3577b34da6a3ce929d0e0e4736',
      prev_hash: '0'.repeat(64),
    });
    expect(answer.body.next_cursor).toBeNull();
    expect(
      (await get('', await reader('brand-b-ops-1'))).body.entries.map((e: AuditEntry) => e.sequence),
    ).toEqual([2]);
  });

  it("lets a platform token read the platform's journal, and only that", async () => {
    const answer = await get('', await reader('platform-ops-1'));
    expect(answer.body.entries).toEqual([appended[3]]);
  });

  it('filters by subject, actor, action and time, and pages with the cursor', async () => {
    const token = await reader('brand-a-ops-1');
    const sequences = async (query: string) =>
      (await get(query, token)).body.entries.map((entry: AuditEntry) => entry.sequence);

    expect(await sequences('?subject=game_config:brand-a:starburst:local')).toEqual([5, 1]);
    expect(await sequences('?actor=sub-brand-a-ops-2')).toEqual([5, 3]);
    expect(await sequences('?action=feature_flag.switched_off')).toEqual([3]);
    expect(await sequences(`?from=${encodeURIComponent(appended[2]!.occurred_at)}`)).toEqual([5, 3]);
    expect(await sequences(`?to=${encodeURIComponent(appended[2]!.occurred_at)}`)).toEqual([1]);
    expect(await sequences('?subject=game_config:brand-b:starburst:local')).toEqual([]);

    const first = await get('?limit=2', token);
    expect(first.body.entries.map((entry: AuditEntry) => entry.sequence)).toEqual([5, 3]);
    expect(first.body.next_cursor).toBe('3');
    const second = await get(`?limit=2&cursor=${first.body.next_cursor}`, token);
    expect(second.body.entries.map((entry: AuditEntry) => entry.sequence)).toEqual([1]);
    expect(second.body.next_cursor).toBeNull();
  });

  it.each([
    ['limit=0', ['limit']],
    ['limit=501', ['limit']],
    ['limit=ten', ['limit']],
    ['from=yesterday', ['from']],
    ['from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z', ['to']],
    ['cursor=abc', ['cursor']],
    ['subject=a&subject=b', ['subject']],
    ['tenant=brand-b', ['tenant']],
  ])('refuses ?%s with 400 INVALID_REQUEST naming %j', async (query, fields) => {
    const answer = await get(`?${query}`, await reader('brand-a-ops-1'));
    expect([answer.status, answer.body.error.code]).toEqual([400, 'INVALID_REQUEST']);
    expect(answer.body.error.fields.map((field: { path: string }) => field.path)).toEqual(fields);
  });

  it('refuses no token (401), a token without audit:read (403) and a token of another region (403)', async () => {
    const none = await get('');
    expect([none.status, none.body.error.code]).toEqual([401, 'UNAUTHENTICATED']);
    const unscoped = await get('', await issueToken('brand-a-ops-1'));
    expect([unscoped.status, unscoped.body.error.code, unscoped.body.error.scope]).toEqual([
      403,
      'INSUFFICIENT_SCOPE',
      'audit:read',
    ]);
    const eu = await get('', await reader('brand-eu-ops-1'));
    expect([eu.status, eu.body.error.code]).toEqual([403, 'TENANT_WRONG_REGION']);
  });

  it('publishes the chain head on audit.v1 on its interval, which audit:verify checks the journal against', async () => {
    const head = appended.at(-1)!;
    await expectEventually(
      () => {
        const checkpoint = audit.received.find(
          (event) =>
            event.envelope.event_type === 'audit.checkpoint' &&
            (event.envelope.payload as any).sequence === head.sequence,
        );
        expect(checkpoint?.envelope).toMatchObject({
          tenant_id: 'platform',
          payload: {
            source: 'bet-gateway',
            schema: fleet.gatewaySchema,
            sequence: head.sequence,
            hash: head.hash,
          },
        });
      },
      { timeoutMs: 30_000 },
    );
    const next = await record('brand-b', 'game_config:brand-b:starburst:local', 'change_request.rejected');
    await expectEventually(
      () =>
        expect(audit.received.some((event) => (event.envelope.payload as any).hash === next.hash)).toBe(true),
      { timeoutMs: 30_000 },
    );
    const report = await verifyAuditSchema(
      { schema: fleet.gatewaySchema },
      { ...process.env, ...fleet.topics.env, DATABASE_SCHEMA: fleet.gatewaySchema },
    );
    expect(report.verdict).toMatchObject({ ok: true, entries: 6 });
    expect(report.checkpoint).toMatchObject({ sequence: 6, hash: next.hash, source: 'bet-gateway' });
  });
});
