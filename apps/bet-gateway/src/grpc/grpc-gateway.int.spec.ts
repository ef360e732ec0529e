import { status } from '@grpc/grpc-js';
import { randomUUID } from 'node:crypto';

import { createPool } from '@pitboss/event-store';
import { infrastructureConfig } from '@pitboss/platform-config';
import {
  authorizeBody,
  createGrpcGatewayClient,
  expectEventually,
  type GrpcAuthorizeBetRequest,
  type GrpcGatewayClient,
  type MoneyFleet,
  startMoneyFleet,
  type TestPlayer,
} from '@pitboss/testing';

const eur = (minor_units: number) => ({ minor_units, currency: 'EUR' });

/**
 * bet-gateway's gRPC API on the real stack: the built gateway, settle-worker, relay and wallet sandbox as real
 * processes, called through a client that signs the exact bytes it sends, as an aggregator must.
 */
describe('bet-gateway over gRPC', () => {
  let fleet: MoneyFleet;
  let grpc: GrpcGatewayClient;
  let db: ReturnType<typeof createPool>;

  beforeAll(async () => {
    fleet = await startMoneyFleet({ label: 'gwgrpc' });
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

  async function playerWithSession(cash: number) {
    const playerId = `p-${randomUUID()}`;
    await fleet.wallet.admin.createAccount({ tenantId: fleet.tenantId, playerId, cash });
    const opened = await grpc.openSession(
      { player_id: playerId, game_id: 'starburst', currency: 'EUR' },
      { idempotencyKey: randomUUID() },
    );
    if (!opened.ok) throw new Error(`OpenSession failed: ${JSON.stringify(opened)}`);
    return { playerId, sessionId: opened.response.session_id };
  }

  const bet = (player: TestPlayer, stake: number): GrpcAuthorizeBetRequest =>
    authorizeBody(player, { amount: eur(stake) });

  it('authorizes and settles a bet, moving exactly the stake and the win', async () => {
    const player = await playerWithSession(10_000);
    const terms = bet(player, 250);

    const authorized = await grpc.authorizeBet(terms, { idempotencyKey: randomUUID() });
    expect(authorized).toMatchObject({
      ok: true,
      replayed: false,
      response: { status: 'authorized', bet_id: terms.bet_id, balance: eur(9_750) },
    });
    expect(await fleet.wallet.admin.balance(fleet.tenantId, player.playerId)).toMatchObject({
      cash: eur(9_750),
    });

    const settled = await grpc.settleBet(
      { bet_id: terms.bet_id, round_id: terms.round_id, win: eur(1_000) },
      { idempotencyKey: randomUUID() },
    );
    expect(settled).toMatchObject({ ok: true, response: { bet_id: terms.bet_id } });

    await expectEventually(async () => {
      const view = await grpc.getBet({ bet_id: terms.bet_id });
      if (!view.ok) throw new Error(JSON.stringify(view));
      expect(view.response).toMatchObject({ status: 'credited', amount: eur(250), win: eur(1_000) });
    });
    expect(await fleet.wallet.admin.balance(fleet.tenantId, player.playerId)).toMatchObject({
      cash: eur(10_750),
    });
    const ledger = await fleet.wallet.admin.ledger({ tenantId: fleet.tenantId, betId: terms.bet_id });
    expect(ledger.map((entry) => [entry.kind, entry.cash_delta_minor_units]).sort()).toEqual([
      ['credit', 1_000],
      ['debit', -250],
    ]);

    const view = await grpc.getBet({ bet_id: terms.bet_id });
    if (!view.ok) throw new Error(JSON.stringify(view));
    expect(view.response.history.map((entry) => entry.type)).toContain('settlement.requested');
    for (const entry of view.response.history)
      expect(() => JSON.parse(entry.data_json) as unknown).not.toThrow();
    const round = await grpc.getRound({ round_id: terms.round_id });
    expect(round).toMatchObject({
      ok: true,
      response: { round_id: terms.round_id, bets: [{ bet_id: terms.bet_id }] },
    });
  });

  it('answers UNAUTHENTICATED with INVALID_SIGNATURE when the bytes were signed with another secret', async () => {
    const player = await playerWithSession(10_000);
    const forger = createGrpcGatewayClient({
      address: fleet.gateway.grpcAddress as string,
      tenantId: fleet.tenantId,
      secret: 'not-the-secret',
    });
    try {
      const terms = bet(player, 250);

      const sut = await forger.authorizeBet(terms, { idempotencyKey: randomUUID() });

      expect(sut).toMatchObject({
        ok: false,
        code: status.UNAUTHENTICATED,
        errorCode: 'INVALID_SIGNATURE',
        retryable: false,
      });
      expect(await fleet.wallet.admin.ledger({ tenantId: fleet.tenantId, betId: terms.bet_id })).toEqual([]);
    } finally {
      forger.close();
    }
  });

  it('answers FAILED_PRECONDITION with INSUFFICIENT_FUNDS and the balance in the error details', async () => {
    const player = await playerWithSession(100);

    const sut = await grpc.authorizeBet(bet(player, 250), { idempotencyKey: randomUUID() });

    expect(sut).toMatchObject({
      ok: false,
      code: status.FAILED_PRECONDITION,
      errorCode: 'INSUFFICIENT_FUNDS',
      retryable: false,
      errorDetails: { balance: eur(100) },
    });
    expect(await fleet.wallet.admin.balance(fleet.tenantId, player.playerId)).toMatchObject({
      cash: eur(100),
    });
  });

  it('replays an answer for a repeated key with idempotent-replayed metadata, moving money once', async () => {
    const player = await playerWithSession(10_000);
    const terms = bet(player, 400);
    const idempotencyKey = randomUUID();

    const first = await grpc.authorizeBet(terms, { idempotencyKey });
    const second = await grpc.authorizeBet(terms, { idempotencyKey });

    expect(first).toMatchObject({ ok: true, replayed: false });
    expect(second).toMatchObject({ ok: true, replayed: true, metadata: { 'idempotent-replayed': 'true' } });
    expect(second.ok && second.response).toEqual(first.ok && first.response);
    const debits = await fleet.wallet.admin.ledger({ tenantId: fleet.tenantId, betId: terms.bet_id });
    expect(debits).toHaveLength(1);
  });

  it('replays a stored refusal as the same gRPC error, marked replayed', async () => {
    const player = await playerWithSession(100);
    const terms = bet(player, 250);
    const idempotencyKey = randomUUID();

    const first = await grpc.authorizeBet(terms, { idempotencyKey });
    const second = await grpc.authorizeBet(terms, { idempotencyKey });

    expect(first).toMatchObject({ ok: false, errorCode: 'INSUFFICIENT_FUNDS', replayed: false });
    expect(second).toMatchObject({
      ok: false,
      code: status.FAILED_PRECONDITION,
      errorCode: 'INSUFFICIENT_FUNDS',
      replayed: true,
    });
  });

  it('shares idempotency keys with HTTP: the same request under the same key is one request', async () => {
    const player = await playerWithSession(10_000);
    const terms = bet(player, 300);
    const idempotencyKey = randomUUID();

    const overHttp = await fleet.http.post('/v1/bets/authorize', terms, { key: idempotencyKey });
    const overGrpc = await grpc.authorizeBet(terms, { idempotencyKey });

    expect(overHttp.status).toBe(200);
    expect(overGrpc).toMatchObject({ ok: true, replayed: true, response: { balance: eur(9_700) } });
  });

  it('refuses a write without x-idempotency-key and an unsafe int64 amount as INVALID_ARGUMENT', async () => {
    const player = await playerWithSession(10_000);

    const withoutKey = await grpc.authorizeBet(bet(player, 250), {});
    const tooLarge = await grpc.authorizeBet(
      {
        ...bet(player, 1),
        amount: { minor_units: '9007199254740993', currency: 'EUR' },
      },
      { idempotencyKey: randomUUID() },
    );

    expect(withoutKey).toMatchObject({
      ok: false,
      code: status.INVALID_ARGUMENT,
      errorCode: 'IDEMPOTENCY_KEY_MISSING',
    });
    expect(tooLarge).toMatchObject({
      ok: false,
      code: status.INVALID_ARGUMENT,
      errorCode: 'INVALID_REQUEST',
      errorDetails: { fields: [expect.objectContaining({ path: 'amount.minor_units' })] },
    });
  });

  it('answers RESOURCE_EXHAUSTED with PAYLOAD_TOO_LARGE for a message above MAX_BODY_BYTES (16 KiB)', async () => {
    const sut = await grpc.rollbackBet(
      { bet_id: `b-${randomUUID()}`, reason: 'x'.repeat(20_000) },
      { idempotencyKey: randomUUID() },
    );

    expect(sut).toMatchObject({ ok: false, code: status.RESOURCE_EXHAUSTED, errorCode: 'PAYLOAD_TOO_LARGE' });
  });

  it('carries traceparent, or else x-trace-id, from the metadata into the events', async () => {
    const player = await playerWithSession(10_000);
    const traced = bet(player, 10);
    const byTraceId = bet(player, 10);
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const traceId = '0af7651916cd43dd8448eb211c80319c';

    await grpc.authorizeBet(traced, { idempotencyKey: randomUUID(), traceparent });
    await grpc.authorizeBet(byTraceId, { idempotencyKey: randomUUID(), traceId });

    const traceIdsOf = async (betId: string) => {
      const { rows } = await db.query<{ trace_id: string }>(
        "SELECT DISTINCT metadata->>'trace_id' AS trace_id FROM events WHERE data->>'bet_id' = $1",
        [betId],
      );
      return rows.map((row) => row.trace_id);
    };
    expect(await traceIdsOf(traced.bet_id)).toEqual(['4bf92f3577b34da6a3ce929d0e0e4736']);
    expect(await traceIdsOf(byTraceId.bet_id)).toEqual([traceId]);
  });
});
