import { generateKeyPairSync, randomUUID } from 'node:crypto';

import { createPool } from '@pitboss/event-store';
import { infrastructureConfig } from '@pitboss/platform-config';
import { signedHeaders, signedHeadersEd25519 } from '@pitboss/security';
import { type MoneyFleet, type ServiceProcess, startMoneyFleet, startServiceProcess } from '@pitboss/testing';

const keyPair = () => {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return { privateKey, spki: publicKey.export({ format: 'der', type: 'spki' }).toString('base64') };
};

/**
 * The running gateway's signed API with Ed25519 tenant keys beside HMAC secrets, and tenants bound to regions:
 * this deployment serves `local`; `t-eu` is bound to eu-west-1 and is refused whatever it signs.
 */
describe('bet-gateway: Ed25519 tenant keys and region binding over HTTP', () => {
  const [oldKey, newKey, strangerKey] = [keyPair(), keyPair(), keyPair()];
  let fleet: MoneyFleet;
  let db: ReturnType<typeof createPool>;
  let gatewayUrl: string;
  let restarted: ServiceProcess | undefined;

  beforeAll(async () => {
    fleet = await startMoneyFleet({
      label: 'gwkeys',
      settleWorker: false,
      gatewayEnv: {
        PITBOSS_REGION: 'local',
        TENANT_SECRETS: 't-local:local-secret,t-eu:eu-secret',
        TENANT_ED25519_KEYS: `t-ed:k-old:${oldKey.spki},t-ed:k-new:${newKey.spki}`,
        TENANT_REGIONS: 't-local=local,t-ed=local,t-eu=eu-west-1',
      },
    });
    gatewayUrl = fleet.gateway.url;
    db = createPool({
      databaseUrl: infrastructureConfig().databaseUrl,
      schema: fleet.gatewaySchema,
      maxConnections: 1,
    });
  });

  afterAll(async () => {
    await restarted?.kill();
    await db?.end();
    await fleet?.stop();
  });

  const send = async (method: 'GET' | 'POST', path: string, headers: Record<string, string>, body = '') => {
    const response = await fetch(`${gatewayUrl}${path}`, {
      method,
      headers: { ...headers, ...(method === 'POST' ? { 'content-type': 'application/json' } : {}) },
      ...(method === 'POST' ? { body } : {}),
    });
    return { status: response.status, body: (await response.json()) as any };
  };
  const hmacGet = (tenantId: string, secret: string, path: string) =>
    send(
      'GET',
      path,
      signedHeaders({ tenantId, secret, timestamp: Date.now(), method: 'GET', path, body: '' }),
    );
  const edGet = (keyId: string, privateKey: ReturnType<typeof keyPair>['privateKey'], path: string) =>
    send(
      'GET',
      path,
      signedHeadersEd25519({
        tenantId: 't-ed',
        keyId,
        privateKey,
        timestamp: Date.now(),
        method: 'GET',
        path,
        body: '',
      }),
    );
  const codeOf = (answer: { status: number; body: any }) => [answer.status, answer.body?.error?.code];

  it('verifies a request signed with a registered Ed25519 key (the call reaches the handler)', async () => {
    expect(codeOf(await edGet('k-new', newKey.privateKey, '/v1/bets/bet-nope'))).toEqual([
      404,
      'BET_NOT_FOUND',
    ]);

    const path = '/v1/sessions';
    const body = JSON.stringify({ player_id: 'p-ed', game_id: 'starburst', currency: 'EUR' });
    const idempotencyKey = `session-${randomUUID()}`;
    const opened = await send(
      'POST',
      path,
      {
        ...signedHeadersEd25519({
          tenantId: 't-ed',
          keyId: 'k-new',
          privateKey: newKey.privateKey,
          timestamp: Date.now(),
          method: 'POST',
          path,
          idempotencyKey,
          body,
        }),
      },
      body,
    );
    expect(opened.status).toBe(201);
    expect(opened.body.session_id).toEqual(expect.any(String));
  });

  it('accepts both keys while one is rotated out', async () => {
    expect(codeOf(await edGet('k-old', oldKey.privateKey, '/v1/bets/bet-nope'))).toEqual([
      404,
      'BET_NOT_FOUND',
    ]);
    expect(codeOf(await edGet('k-new', newKey.privateKey, '/v1/bets/bet-nope'))).toEqual([
      404,
      'BET_NOT_FOUND',
    ]);
  });

  it('refuses a signature by the wrong key, or under an unknown key id, with INVALID_SIGNATURE (401)', async () => {
    expect(codeOf(await edGet('k-new', strangerKey.privateKey, '/v1/bets/bet-nope'))).toEqual([
      401,
      'INVALID_SIGNATURE',
    ]);
    expect(codeOf(await edGet('k-new', oldKey.privateKey, '/v1/bets/bet-nope'))).toEqual([
      401,
      'INVALID_SIGNATURE',
    ]);
    expect(codeOf(await edGet('k-gone', newKey.privateKey, '/v1/bets/bet-nope'))).toEqual([
      401,
      'INVALID_SIGNATURE',
    ]);
  });

  it("serves this region's tenant and refuses a tenant bound to another region with 403 TENANT_WRONG_REGION", async () => {
    expect(codeOf(await hmacGet('t-local', 'local-secret', '/v1/bets/bet-nope'))).toEqual([
      404,
      'BET_NOT_FOUND',
    ]);
    expect(codeOf(await hmacGet('t-eu', 'eu-secret', '/v1/bets/bet-nope'))).toEqual([
      403,
      'TENANT_WRONG_REGION',
    ]);

    const path = '/v1/sessions';
    const body = JSON.stringify({ player_id: 'p-eu', game_id: 'starburst', currency: 'EUR' });
    const idempotencyKey = `session-${randomUUID()}`;
    const refused = await send(
      'POST',
      path,
      signedHeaders({
        tenantId: 't-eu',
        secret: 'eu-secret',
        timestamp: Date.now(),
        method: 'POST',
        path,
        idempotencyKey,
        body,
      }),
      body,
    );
    expect(codeOf(refused)).toEqual([403, 'TENANT_WRONG_REGION']);
    expect(refused.body.error.region).toBe('eu-west-1');
    const { rows } = await db.query("SELECT count(*)::int AS n FROM sessions WHERE tenant_id = 't-eu'");
    expect(rows[0].n).toBe(0);
  });

  it('refuses the old key once it is removed from TENANT_ED25519_KEYS (revoked at the next start)', async () => {
    await fleet.gateway.kill();
    restarted = await startServiceProcess('bet-gateway', {
      env: { ...fleet.env.gateway, TENANT_ED25519_KEYS: `t-ed:k-new:${newKey.spki}` },
    });
    gatewayUrl = restarted.url;

    expect(codeOf(await edGet('k-old', oldKey.privateKey, '/v1/bets/bet-nope'))).toEqual([
      401,
      'INVALID_SIGNATURE',
    ]);
    expect(codeOf(await edGet('k-new', newKey.privateKey, '/v1/bets/bet-nope'))).toEqual([
      404,
      'BET_NOT_FOUND',
    ]);
  });
});
