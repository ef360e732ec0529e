import { randomUUID } from 'node:crypto';

import { createPool } from '@pitboss/event-store';
import { infrastructureConfig } from '@pitboss/platform-config';
import {
  certifiedGameConfig,
  createGrpcGatewayClient,
  expectEventually,
  type GrpcGatewayClient,
  type MoneyFleet,
  seedGameConfigs,
  type ServiceProcess,
  startMoneyFleet,
} from '@pitboss/testing';

const eur = (minor_units: number) => ({ minor_units, currency: 'EUR' });

/**
 * The business and API metrics as a scraper reads them: real bets through the real fleet (gateway, relay, Kafka,
 * settle-worker, wallet sandbox), then `GET /metrics` of settle-worker and bet-gateway. The tenant and the game
 * are the test's own, so the counters must have moved by exactly these bets' stakes and wins.
 */
describe('business and API metrics of real bets', () => {
  const game = `g-metrics-${randomUUID().slice(0, 8)}`;
  const mathVersion = 'metrics-1.0';
  let fleet: MoneyFleet;
  let grpc: GrpcGatewayClient;

  beforeAll(async () => {
    fleet = await startMoneyFleet({ label: 'metrics' });
    if (fleet.gateway.grpcAddress === undefined) throw new Error('the gateway logged no gRPC listener');
    grpc = createGrpcGatewayClient({
      address: fleet.gateway.grpcAddress,
      tenantId: fleet.tenantId,
      secret: fleet.secret,
    });
    await seedGameConfigs(fleet.gatewaySchema, fleet.tenantId, [
      certifiedGameConfig(game, {
        version: mathVersion,
        certifiedRtpBp: 9_600,
        corridorBp: { min: 9_000, max: 9_900 },
      }),
    ]);
    // The gateway has the config (and so puts its math version on the bets) once it exports its corridor.
    await expectEventually(async () =>
      expect(sample(await scrape(fleet.gateway), 'game_certified_rtp_ratio', { game })).toBe(0.96),
    );
  });

  afterAll(async () => {
    grpc?.close();
    await fleet?.stop();
  });

  const betLabels = () => ({ tenant: fleet.tenantId, game, currency: 'EUR', math_version: mathVersion });

  async function httpPlayer(cash: number) {
    const playerId = `p-${randomUUID()}`;
    await fleet.wallet.admin.createAccount({ tenantId: fleet.tenantId, playerId, currency: 'EUR', cash });
    const opened = await fleet.http.post(
      '/v1/sessions',
      { player_id: playerId, game_id: game, currency: 'EUR' },
      { key: randomUUID() },
    );
    if (opened.status !== 201) throw new Error(`session: ${opened.status} ${JSON.stringify(opened.body)}`);
    return { playerId, sessionId: opened.body.session_id as string };
  }

  const betOf = (player: { playerId: string; sessionId: string }, stake: number) => ({
    bet_id: `b-${randomUUID()}`,
    round_id: `r-${randomUUID()}`,
    session_id: player.sessionId,
    player_id: player.playerId,
    game_id: game,
    game_type: 'slot',
    amount: eur(stake),
  });

  it('counts each credited bet once with its stake and win, its hit and its settle lag; not a rolled-back bet', async () => {
    const player = await httpPlayer(10_000);
    // stake → win: a 3x hit, a loss (credited as 0), a push (win = stake, a hit).
    const plays: Array<[number, number]> = [
      [300, 900],
      [200, 0],
      [150, 150],
    ];
    for (const [stake, win] of plays) {
      const bet = betOf(player, stake);
      expect((await fleet.http.post('/v1/bets/authorize', bet, { key: randomUUID() })).status).toBe(200);
      const settled = await fleet.http.post(
        '/v1/bets/settle',
        { bet_id: bet.bet_id, round_id: bet.round_id, win: eur(win) },
        { key: randomUUID() },
      );
      expect(settled.status).toBeLessThan(300);
    }
    const rolledBack = betOf(player, 400);
    expect((await fleet.http.post('/v1/bets/authorize', rolledBack, { key: randomUUID() })).status).toBe(200);
    const rollback = await fleet.http.post(
      '/v1/bets/rollback',
      { bet_id: rolledBack.bet_id, reason: 'round cancelled' },
      { key: randomUUID() },
    );
    expect(rollback.status).toBeLessThan(300);

    await expectEventually(
      async () => expect(sample(await scrape(fleet.worker!), 'bets_settled_total', betLabels())).toBe(3),
      { timeoutMs: 30_000 },
    );
    const worker = await scrape(fleet.worker!);
    expect({
      stakes: sample(worker, 'bet_stakes_minor_units_total', betLabels()),
      wins: sample(worker, 'bet_wins_minor_units_total', betLabels()),
      hits: sample(worker, 'bet_hits_total', betLabels()),
      lagCount: sample(worker, 'bet_settle_lag_seconds_count', { tenant: fleet.tenantId }),
      unlabelledLagCount: sample(worker, 'settle_lag_seconds_count'),
    }).toEqual({ stakes: 650, wins: 1_050, hits: 2, lagCount: 3, unlabelledLagCount: 3 });
    // The rolled-back bet's facts went with its rollback; the settled ones' into their sagas.
    await expectEventually(async () => expect(await betFactsLeft(fleet)).toBe(0));
  });

  it('times every gRPC call by method and status and counts its refusals, as HTTP refusals are', async () => {
    const before = await scrape(fleet.gateway);
    const playerId = `p-${randomUUID()}`;
    await fleet.wallet.admin.createAccount({
      tenantId: fleet.tenantId,
      playerId,
      currency: 'EUR',
      cash: 100,
    });
    const opened = await grpc.openSession(
      { player_id: playerId, game_id: game, currency: 'EUR' },
      { idempotencyKey: randomUUID() },
    );
    if (!opened.ok) throw new Error(`OpenSession: ${JSON.stringify(opened)}`);
    const player = { playerId, sessionId: opened.response.session_id };
    const bet = betOf(player, 100);
    expect((await grpc.authorizeBet(bet, { idempotencyKey: randomUUID() })).ok).toBe(true);
    const tooMuch = await grpc.authorizeBet(betOf(player, 5_000), { idempotencyKey: randomUUID() });
    expect(tooMuch).toMatchObject({ ok: false, errorCode: 'INSUFFICIENT_FUNDS' });
    const httpRefusal = await fleet.http.post('/v1/bets/authorize', betOf(player, 5_000), {
      key: randomUUID(),
    });
    expect(httpRefusal.body.error.code).toBe('INSUFFICIENT_FUNDS');
    const unsigned = await fetch(`${fleet.gateway.url}/v1/bets/authorize`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-tenant-id': fleet.tenantId },
      body: JSON.stringify(betOf(player, 100)),
    });
    expect(unsigned.status).toBe(401);
    // INVALID_SIGNATURE or STALE_TIMESTAMP, whichever header the guard checks first: a client fault either way.
    const unsignedCode = ((await unsigned.json()) as { error: { code: string } }).error.code;
    const tooLarge = await fetch(`${fleet.gateway.url}/v1/bets/authorize`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ padding: 'x'.repeat(64 * 1024) }),
    });
    expect(tooLarge.status).toBe(413);
    expect(
      (
        await grpc.settleBet(
          { bet_id: bet.bet_id, round_id: bet.round_id, win: eur(250) },
          { idempotencyKey: randomUUID() },
        )
      ).ok,
    ).toBe(true);

    const after = await scrape(fleet.gateway);
    const moved = (name: string, labels: Labels) =>
      sample(after, name, labels) - sample(before, name, labels);
    expect({
      openSession: moved('grpc_server_request_duration_seconds_count', { method: 'OpenSession', code: 'OK' }),
      authorized: moved('grpc_server_request_duration_seconds_count', { method: 'AuthorizeBet', code: 'OK' }),
      refused: moved('grpc_server_request_duration_seconds_count', {
        method: 'AuthorizeBet',
        code: 'FAILED_PRECONDITION',
      }),
      settled: moved('grpc_server_request_duration_seconds_count', { method: 'SettleBet', code: 'OK' }),
      grpcBusiness: moved('api_errors_total', {
        transport: 'grpc',
        route: 'AuthorizeBet',
        code: 'INSUFFICIENT_FUNDS',
        class: 'business',
      }),
      httpBusiness: moved('api_errors_total', {
        transport: 'http',
        route: '/v1/bets/authorize',
        code: 'INSUFFICIENT_FUNDS',
        class: 'business',
      }),
      httpClient: moved('api_errors_total', {
        transport: 'http',
        route: '/v1/bets/authorize',
        code: unsignedCode,
        class: 'client',
      }),
      // Refused by the body parser before any route matched.
      tooLarge: moved('api_errors_total', {
        transport: 'http',
        route: 'unmatched',
        code: 'PAYLOAD_TOO_LARGE',
        class: 'client',
      }),
    }).toEqual({
      openSession: 1,
      authorized: 1,
      refused: 1,
      settled: 1,
      grpcBusiness: 1,
      httpBusiness: 1,
      httpClient: 1,
      tooLarge: 1,
    });
    // The gRPC bet is settled by the same worker into the same counters: 3 HTTP bets before, now a 4th.
    await expectEventually(
      async () => expect(sample(await scrape(fleet.worker!), 'bets_settled_total', betLabels())).toBe(4),
      { timeoutMs: 30_000 },
    );
    const worker = await scrape(fleet.worker!);
    expect([
      sample(worker, 'bet_stakes_minor_units_total', betLabels()),
      sample(worker, 'bet_wins_minor_units_total', betLabels()),
      sample(worker, 'bet_hits_total', betLabels()),
    ]).toEqual([750, 1_300, 3]);
  });
});

type Labels = Readonly<Record<string, string>>;

async function scrape(service: ServiceProcess): Promise<string> {
  return (await fetch(`${service.url}/metrics`)).text();
}

/** The value of the one sample of `name` whose labels include `labels` (0 when there is none). */
function sample(text: string, name: string, labels: Labels = {}): number {
  const matching = text
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
    .filter((line) => {
      const found = labelsOf(line);
      return Object.entries(labels).every(([key, value]) => found.get(key) === value);
    });
  if (matching.length > 1)
    throw new Error(`${name} ${JSON.stringify(labels)} matches ${matching.length} samples`);
  return matching.length === 0 ? 0 : Number(matching[0]!.split(' ').at(-1));
}

function labelsOf(line: string): Map<string, string> {
  const body = /\{(.*)\}/.exec(line)?.[1] ?? '';
  return new Map([...body.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1]!, m[2]!]));
}

async function betFactsLeft(fleet: MoneyFleet): Promise<number> {
  const db = createPool({
    databaseUrl: infrastructureConfig().databaseUrl,
    schema: fleet.workerSchema,
    maxConnections: 1,
  });
  try {
    const result = await db.query('SELECT count(*)::int AS n FROM bet_facts WHERE tenant_id = $1', [
      fleet.tenantId,
    ]);
    return result.rows[0].n as number;
  } finally {
    await db.end();
  }
}
