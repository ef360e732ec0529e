import { status } from '@grpc/grpc-js';
import { randomUUID } from 'node:crypto';

import { createPool } from '@pitboss/event-store';
import { infrastructureConfig } from '@pitboss/platform-config';
import { signedHeaders } from '@pitboss/security';
import {
  createGrpcGatewayClient,
  type GrpcGatewayClient,
  type MoneyFleet,
  startMoneyFleet,
} from '@pitboss/testing';

/**
 * Issue 14: a signed request captured by someone else (a log, a proxy) and sent again inside the timestamp
 * window. The idempotency key is under the signature, so under a new key the capture is refused, and under its
 * own key it only gets the stored answer back: either way no second session is opened. On the real gateway,
 * over HTTP and gRPC.
 */
describe('bet-gateway: a captured signed request replayed', () => {
  let fleet: MoneyFleet;
  let grpc: GrpcGatewayClient;
  let db: ReturnType<typeof createPool>;

  beforeAll(async () => {
    fleet = await startMoneyFleet({ label: 'sigreplay', settleWorker: false });
    if (fleet.gateway.grpcAddress === undefined) throw new Error('the gateway logged no gRPC listener');
    grpc = createGrpcGatewayClient({
      address: fleet.gateway.grpcAddress,
      tenantId: fleet.tenantId,
      secret: fleet.secret,
    });
    db = createPool({
      databaseUrl: infrastructureConfig().databaseUrl,
      schema: fleet.gatewaySchema,
      maxConnections: 1,
    });
  });

  afterAll(async () => {
    await db?.end();
    grpc?.close();
    await fleet?.stop();
  });

  async function newPlayer(): Promise<string> {
    const playerId = `p-${randomUUID()}`;
    await fleet.wallet.admin.createAccount({ tenantId: fleet.tenantId, playerId, cash: 10_000 });
    return playerId;
  }

  async function sessionsOf(playerId: string): Promise<number> {
    const { rows } = await db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM sessions WHERE tenant_id = $1 AND player_id = $2',
      [fleet.tenantId, playerId],
    );
    return rows[0]?.n ?? -1;
  }

  describe('over HTTP', () => {
    /** What went over the wire: the body and every header, the signature over the key included. */
    interface Capture {
      readonly body: string;
      readonly headers: Record<string, string>;
    }

    function capture(playerId: string): Capture {
      const body = JSON.stringify({ player_id: playerId, game_id: 'starburst', currency: 'EUR' });
      const idempotencyKey = `session-${randomUUID()}`;
      const signed = signedHeaders({
        tenantId: fleet.tenantId,
        secret: fleet.secret,
        timestamp: Date.now(),
        method: 'POST',
        path: '/v1/sessions',
        idempotencyKey,
        body,
      });
      const headers = { ...signed, 'x-idempotency-key': idempotencyKey, 'content-type': 'application/json' };
      return { body, headers };
    }

    async function send({ body, headers }: Capture) {
      const response = await fetch(`${fleet.gateway.url}/v1/sessions`, { method: 'POST', headers, body });
      return {
        status: response.status,
        replayed: response.headers.get('idempotent-replayed'),
        body: (await response.json()) as { session_id?: string; error?: { code: string } },
      };
    }

    const withoutKey = ({ 'x-idempotency-key': _key, ...headers }: Record<string, string>) => headers;

    it.each([
      [
        'a new idempotency key',
        (headers: Record<string, string>) => ({ ...headers, 'x-idempotency-key': randomUUID() }),
      ],
      ['no idempotency key', withoutKey],
    ])('refuses it under %s with INVALID_SIGNATURE and opens no second session', async (_case, rekey) => {
      const playerId = await newPlayer();
      const captured = capture(playerId);
      const first = await send(captured);
      expect(first.status).toBe(201);

      // Same body, same timestamp, same signature: only the key differs.
      const replayed = await send({ ...captured, headers: rekey(captured.headers) });

      expect([replayed.status, replayed.body.error?.code]).toEqual([401, 'INVALID_SIGNATURE']);
      expect(await sessionsOf(playerId)).toBe(1);
    });

    it('answers it under its own key from the idempotency record and opens no second session', async () => {
      const playerId = await newPlayer();
      const captured = capture(playerId);
      const first = await send(captured);
      expect([first.status, first.replayed]).toEqual([201, null]);

      const replayed = await send(captured);

      expect([replayed.status, replayed.replayed]).toEqual([201, 'true']);
      expect(replayed.body.session_id).toBe(first.body.session_id);
      expect(await sessionsOf(playerId)).toBe(1);
    });
  });

  describe('over gRPC', () => {
    // The client serializes the same request to the same bytes and signs them at the given timestamp under the
    // given key, so two calls with equal options carry the very same signature: a capture sent again. Entries of
    // `metadata` are set after signing, which is how the key is swapped under the captured signature.
    function capture(playerId: string) {
      return {
        request: { player_id: playerId, game_id: 'starburst', currency: 'EUR' },
        options: { idempotencyKey: `session-${randomUUID()}`, timestamp: Date.now() },
      };
    }

    it('refuses it under a new x-idempotency-key with INVALID_SIGNATURE and opens no second session', async () => {
      const playerId = await newPlayer();
      const { request, options } = capture(playerId);
      const first = await grpc.openSession(request, options);
      expect(first.ok).toBe(true);

      const replayed = await grpc.openSession(request, {
        ...options,
        metadata: { 'x-idempotency-key': randomUUID() },
      });

      expect(replayed).toMatchObject({
        ok: false,
        code: status.UNAUTHENTICATED,
        errorCode: 'INVALID_SIGNATURE',
      });
      expect(await sessionsOf(playerId)).toBe(1);
    });

    it('answers it under its own key from the idempotency record and opens no second session', async () => {
      const playerId = await newPlayer();
      const { request, options } = capture(playerId);
      const first = await grpc.openSession(request, options);
      if (!first.ok) throw new Error(`OpenSession failed: ${JSON.stringify(first)}`);

      const replayed = await grpc.openSession(request, options);

      expect(replayed).toMatchObject({ ok: true, replayed: true });
      expect(replayed.ok && replayed.response.session_id).toBe(first.response.session_id);
      expect(await sessionsOf(playerId)).toBe(1);
    });
  });
});
