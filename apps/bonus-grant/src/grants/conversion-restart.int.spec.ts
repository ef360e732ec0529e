import { randomUUID } from 'node:crypto';

import { TOPICS } from '@pitboss/contracts';
import { eventStoreMigrations } from '@pitboss/event-store';
import {
  createTestSchema,
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
/** How long the sandbox holds a conversion before it books it: the window in which bonus-grant is killed. */
const CONVERT_LATENCY_MS = 4_000;
jest.setTimeout(240_000);

/**
 * The crash the saga's "record before, record after" exists for: bonus-grant is SIGKILLed while the wallet is
 * converting (the call recorded as started, its outcome never recorded). The wallet books the conversion anyway;
 * a new process resumes the grant from its stream with the same key, so the ledger shows one conversion and the
 * grant ends converted, announced once.
 */
describe('bonus-grant killed mid-conversion (real Kafka, registry, Postgres, Redis, Keycloak, wallet sandbox)', () => {
  let db: TestSchema;
  let topics: TestTopics;
  let sandbox: WalletSandboxProcess;
  let relay: RelayProcess;
  let service: ServiceProcess | undefined;
  let token: string;
  const run = randomUUID().slice(0, 8);

  const startService = () =>
    startServiceProcess('bonus-grant', {
      env: {
        ...topics.env,
        DATABASE_SCHEMA: db.schema,
        DATABASE_MIGRATE_ON_START: 'false',
        WALLET_URL: sandbox.url,
        // Longer than the held conversion: the call is still in flight when the process dies.
        WALLET_TIMEOUT_MS: String(CONVERT_LATENCY_MS * 3),
        WALLET_BREAKER_MIN_CALLS: '1000',
        // The dead process's lease on the grant lapses soon, so the new one may claim it.
        GRANT_LEASE_MS: '2000',
      },
      waitForLines: ['grant timer loop started', '(group bonus-grant-grants)'],
      startTimeoutMs: 180_000,
    });

  beforeAll(async () => {
    [db, topics, sandbox, token] = await Promise.all([
      createTestSchema([...eventStoreMigrations, ...bonusGrantMigrations], 'bgk'),
      provisionTestTopics('bgk'),
      startWalletSandbox(),
      issueToken('brand-a-ops-1', { scope: 'promo:issue' }),
    ]);
    relay = startRelayProcess([db.schema], topics.env);
    service = await startService();
  });

  afterAll(async () => {
    await service?.kill('SIGTERM');
    await relay?.kill('SIGTERM');
    await sandbox?.stop();
    await topics?.cleanup();
    await db?.drop();
  });

  const eventTypesOf = async (grantId: string) =>
    (
      await db.pool.query<{ event_type: string }>(
        'SELECT event_type FROM events WHERE stream_id LIKE $1 ORDER BY global_position',
        [`%${grantId}`],
      )
    ).rows.map((row) => row.event_type);
  const statusOf = async (grantId: string) =>
    (
      (await (
        await fetch(`${service!.url}/v1/bonus/grants/${grantId}`, {
          headers: { authorization: `Bearer ${token}` },
        })
      ).json()) as { status: string }
    ).status;
  const ledger = (grantId: string) => sandbox.admin.ledger({ tenantId: TENANT, grantId });

  it('resumes the conversion with the same key after a SIGKILL: one convert in the ledger, converted once', async () => {
    const playerId = `p-${run}`;
    const offerId = `o-${run}`;
    await Promise.all([
      sandbox.admin.createAccount({ tenantId: TENANT, playerId, cash: 0 }),
      aPlayerProfile(db.pool, TENANT, playerId),
      publishOffer(db.pool, TENANT, offerId, offerTerms()),
    ]);
    const issued = await fetch(`${service!.url}/v1/bonus/grants`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        'x-idempotency-key': randomUUID(),
        'x-trace-id': randomUUID(),
      },
      body: JSON.stringify({ player_id: playerId, offer_id: offerId, trigger: 'api', amount_minor: 800 }),
    });
    const grantId = ((await issued.json()) as { grant_id: string }).grant_id;
    await expectEventually(async () => expect(await statusOf(grantId)).toBe('active'));

    await sandbox.admin.setFaults({ latency_ms: CONVERT_LATENCY_MS, operations: ['convert'] });
    await publishTestEvents(topics, [
      {
        topic: TOPICS.promoWagering.name,
        eventType: 'wagering.completed',
        tenantId: TENANT,
        playerId,
        payload: {
          grant_id: grantId,
          contributed: EUR(8_000),
          required: EUR(8_000),
          completing_bet_id: `b-${run}`,
        },
      },
    ]);
    // The credit's call and the conversion's: the second one is in flight in the sandbox now.
    await expectEventually(async () =>
      expect(
        (await eventTypesOf(grantId)).filter((type) => type === 'grant.wallet_call_started'),
      ).toHaveLength(2),
    );
    await service!.kill('SIGKILL');
    service = undefined;

    // The wallet booked the conversion the dead process never heard about.
    await expectEventually(async () =>
      expect((await ledger(grantId)).map((entry) => entry.kind)).toEqual(['credit', 'convert']),
    );
    expect(await eventTypesOf(grantId)).not.toContain('bonus.converted');
    await sandbox.admin.clearFaults();

    service = await startService();
    await expectEventually(async () => expect(await statusOf(grantId)).toBe('converted'), {
      timeoutMs: 60_000,
    });
    expect((await ledger(grantId)).map((entry) => entry.transaction_id)).toEqual([
      walletKeys.grantCredit(TENANT, grantId),
      walletKeys.convert(TENANT, grantId),
    ]);
    expect(await sandbox.admin.balance(TENANT, playerId)).toEqual({ cash: EUR(800), bonus: EUR(0) });
    // No max win: the conversion's recorded outcome is bonus.converted itself, once.
    expect((await eventTypesOf(grantId)).filter((type) => type.startsWith('bonus.'))).toEqual([
      'bonus.issued',
      'bonus.converted',
    ]);
  });
});
