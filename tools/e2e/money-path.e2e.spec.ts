import { randomUUID } from 'node:crypto';

import { TOPICS } from '@pitboss/contracts';
import {
  collectEvents,
  createGrpcGatewayClient,
  type EventCollector,
  expectEventually,
  type MoneyFleet,
  publishTestEvents,
  startMoneyFleet,
  startServiceProcess,
  signedHttpClient,
} from '@pitboss/testing';

const eur = (minor_units: number) => ({ minor_units, currency: 'EUR' });

/**
 * The money path from outside, as production runs it: wallet sandbox, bet-gateway, settle-worker and the outbox
 * relay as real processes on the real Kafka, registry, Postgres and Redis. Every check ends at the wallet's
 * ledger: exactly one debit and at most one credit per bet (a loss too: a credit of 0, the default), whatever was
 * repeated, redelivered or killed.
 */
describe('money path: aggregator → bet-gateway → Kafka → settle-worker → wallet', () => {
  let fleet: MoneyFleet;
  let events: EventCollector;

  beforeAll(async () => {
    fleet = await startMoneyFleet({
      label: 'e2e',
      gatewayEnv: {
        WALLET_TIMEOUT_MS: '1000',
        WALLET_BREAKER_MIN_CALLS: '3',
        WALLET_BREAKER_COOLDOWN_MS: '500',
      },
      workerEnv: { WALLET_TIMEOUT_MS: '1000', SETTLE_RETRY_BASE_MS: '100', SETTLE_RETRY_MAX_MS: '500' },
    });
    events = await collectEvents(fleet.topics, [TOPICS.rounds.name, TOPICS.settlements.name]);
  });

  afterAll(async () => {
    await events?.stop();
    await fleet?.stop();
  });

  afterEach(() => fleet.wallet.admin.clearFaults());

  const eventsOf = (betId: string, type?: string) =>
    events.received.filter(
      (e) =>
        (e.envelope.payload as { bet_id?: string }).bet_id === betId &&
        (type === undefined || e.envelope.event_type === type),
    );

  async function newPlayer(cash = 10_000) {
    const playerId = `p-${randomUUID()}`;
    await fleet.wallet.admin.createAccount({ tenantId: fleet.tenantId, playerId, currency: 'EUR', cash });
    const opened = await fleet.http.post(
      '/v1/sessions',
      { player_id: playerId, game_id: 'g', currency: 'EUR' },
      { key: randomUUID() },
    );
    return { playerId, sessionId: opened.body.session_id as string };
  }

  const betFor = (player: { playerId: string; sessionId: string }, stake = 300) => ({
    bet_id: `b-${randomUUID()}`,
    round_id: `r-${randomUUID()}`,
    session_id: player.sessionId,
    player_id: player.playerId,
    game_id: 'g',
    game_type: 'slot',
    amount: eur(stake),
  });

  const ledgerKinds = async (betId: string) =>
    (await fleet.wallet.admin.ledger({ betId })).map((entry) => entry.kind).sort();

  /** Debits the sandbox has received and not answered yet (its in-flight gauge). */
  const debitsInFlight = async () => {
    const text = await (await fetch(`${fleet.wallet.adminUrl}/metrics`)).text();
    const sample = /^wallet_sandbox_requests_in_flight\{[^}]*operation="debit"[^}]*\} (\d+)$/m.exec(text);
    return Number(sample?.[1] ?? 0);
  };

  const cashOf = async (playerId: string) =>
    (await fleet.wallet.admin.balance(fleet.tenantId, playerId)).cash;

  it('HTTP: authorize → settle → bet.settled on Kafka, the bet credited and the balance exact', async () => {
    const player = await newPlayer(10_000);
    const bet = betFor(player, 300);
    expect((await fleet.http.post('/v1/bets/authorize', bet, { key: randomUUID() })).body.balance).toEqual(
      eur(9_700),
    );
    const settle = await fleet.http.post(
      '/v1/bets/settle',
      { bet_id: bet.bet_id, round_id: bet.round_id, win: eur(1_000) },
      { key: randomUUID() },
    );
    expect([settle.status, settle.body.status]).toEqual([202, 'pending_credit']);

    await expectEventually(() => expect(eventsOf(bet.bet_id, 'bet.settled')).toHaveLength(1));
    const [settled] = eventsOf(bet.bet_id, 'bet.settled');
    expect(settled!.envelope).toMatchObject({
      tenant_id: fleet.tenantId,
      player_id: player.playerId,
      round_id: bet.round_id,
    });
    expect(settled!.envelope.payload).toMatchObject({ win: eur(1_000) });
    expect(await cashOf(player.playerId)).toEqual(eur(10_700));
    await expectEventually(async () =>
      expect((await fleet.http.get(`/v1/bets/${bet.bet_id}`)).body.status).toBe('credited'),
    );
    const again = await fleet.http.post(
      '/v1/bets/settle',
      { bet_id: bet.bet_id, round_id: bet.round_id, win: eur(1_000) },
      { key: randomUUID() },
    );
    expect([again.status, again.body.status]).toEqual([200, 'credited']);
    const rollback = await fleet.http.post(
      '/v1/bets/rollback',
      { bet_id: bet.bet_id, reason: 'too late' },
      { key: randomUUID() },
    );
    expect(rollback.body.error.code).toBe('BET_ALREADY_SETTLED');
    expect(await ledgerKinds(bet.bet_id)).toEqual(['credit', 'debit']);
  });

  it('a loss is credited as 0 under the bet credit key, so the wallet can close the round', async () => {
    const player = await newPlayer(10_000);
    const bet = betFor(player, 300);
    await fleet.http.post('/v1/bets/authorize', bet, { key: randomUUID() });

    await fleet.http.post(
      '/v1/bets/settle',
      { bet_id: bet.bet_id, round_id: bet.round_id, win: eur(0) },
      { key: randomUUID() },
    );

    await expectEventually(async () =>
      expect((await fleet.http.get(`/v1/bets/${bet.bet_id}`)).body.status).toBe('credited'),
    );
    const credits = (await fleet.wallet.admin.ledger({ betId: bet.bet_id })).filter(
      (e) => e.kind === 'credit',
    );
    expect(credits).toEqual([expect.objectContaining({ amount: eur(0), cash_delta_minor_units: 0 })]);
    expect(credits[0]?.transaction_id).toBe(`bet:${fleet.tenantId}:${bet.bet_id}:credit`);
    await expectEventually(() => expect(eventsOf(bet.bet_id, 'bet.settled')).toHaveLength(1));
    expect(eventsOf(bet.bet_id, 'bet.settled')[0]?.envelope.payload).toMatchObject({
      wallet_transaction_id: credits[0]?.transaction_id,
    });
    expect(await cashOf(player.playerId)).toEqual(eur(9_700));
  });

  it('gRPC: the same operations, errors and exact balance', async () => {
    const grpc = createGrpcGatewayClient({
      address: fleet.gateway.grpcAddress!,
      tenantId: fleet.tenantId,
      secret: fleet.secret,
    });
    try {
      const playerId = `p-${randomUUID()}`;
      await fleet.wallet.admin.createAccount({
        tenantId: fleet.tenantId,
        playerId,
        currency: 'EUR',
        cash: 5_000,
      });
      const session = await grpc.openSession(
        { player_id: playerId, game_id: 'g', currency: 'EUR' },
        { idempotencyKey: randomUUID() },
      );
      if (!session.ok) throw new Error(`open session failed: ${session.errorCode}`);
      const bet = betFor({ playerId, sessionId: session.response.session_id }, 1_200);
      const authorized = await grpc.authorizeBet(bet, { idempotencyKey: randomUUID() });
      expect(authorized.ok && authorized.response.balance).toEqual(eur(3_800));
      const tooBig = await grpc.authorizeBet(
        { ...betFor({ playerId, sessionId: session.response.session_id }, 999_999) },
        { idempotencyKey: randomUUID() },
      );
      expect(!tooBig.ok && [tooBig.errorCode, tooBig.errorDetails['balance']]).toEqual([
        'INSUFFICIENT_FUNDS',
        eur(3_800),
      ]);

      const settle = await grpc.settleBet(
        { bet_id: bet.bet_id, round_id: bet.round_id, win: eur(2_400) },
        { idempotencyKey: randomUUID() },
      );
      expect(settle.ok && settle.response.status).toBe('pending_credit');
      await expectEventually(async () => {
        const view = await grpc.getBet({ bet_id: bet.bet_id });
        expect(view.ok && view.response.status).toBe('credited');
      });
      expect(eventsOf(bet.bet_id, 'bet.settled')).toHaveLength(1);
      expect(await cashOf(playerId)).toEqual(eur(6_200));
    } finally {
      grpc.close();
    }
  });

  it('repeats, redeliveries and a credit whose answer was lost move money once per bet', async () => {
    const player = await newPlayer(10_000);
    const bet = betFor(player, 500);
    const authorizeKey = randomUUID();
    const settleBody = { bet_id: bet.bet_id, round_id: bet.round_id, win: eur(800) };
    // The wallet commits the first credit and drops its answer: settle-worker cannot know it was paid.
    await fleet.wallet.admin.setFaults({ commit_then_drop_rate: 1, operations: ['credit'] });
    await Promise.all([
      fleet.http.post('/v1/bets/authorize', bet, { key: authorizeKey }),
      fleet.http.post('/v1/bets/authorize', bet, { key: authorizeKey }),
    ]);
    await fleet.http.post('/v1/bets/authorize', bet, { key: randomUUID() });
    const settleKey = randomUUID();
    await fleet.http.post('/v1/bets/settle', settleBody, { key: settleKey });
    await fleet.http.post('/v1/bets/settle', settleBody, { key: settleKey });
    await fleet.http.post('/v1/bets/settle', settleBody, { key: randomUUID() });
    await expectEventually(async () => expect(await ledgerKinds(bet.bet_id)).toEqual(['credit', 'debit']));
    await fleet.wallet.admin.clearFaults();

    // Kafka redelivers the settlement request (same event_id) and a twin request arrives under a new id.
    const [requested] = eventsOf(bet.bet_id, 'settlement.requested');
    const redelivered = {
      topic: TOPICS.rounds.name,
      eventType: 'settlement.requested',
      tenantId: fleet.tenantId,
      playerId: player.playerId,
      payload: requested!.envelope.payload as Record<string, unknown>,
    };
    await publishTestEvents(fleet.topics, [
      { ...redelivered, eventId: requested!.envelope.event_id },
      redelivered,
    ]);

    await expectEventually(() =>
      expect(eventsOf(bet.bet_id, 'bet.settled').length).toBeGreaterThanOrEqual(1),
    );
    await expectEventually(async () =>
      expect((await fleet.http.get(`/v1/bets/${bet.bet_id}`)).body.status).toBe('credited'),
    );
    expect(await ledgerKinds(bet.bet_id)).toEqual(['credit', 'debit']);
    expect(await cashOf(player.playerId)).toEqual(eur(10_300));
  });

  it('a debit that times out is rolled back automatically: WALLET_UNAVAILABLE, then the stake returns', async () => {
    const player = await newPlayer(10_000);
    const bet = betFor(player, 700);
    // The wallet commits the debit but the gateway never hears back.
    await fleet.wallet.admin.setFaults({ commit_then_drop_rate: 1, operations: ['debit'] });
    const answer = await fleet.http.post('/v1/bets/authorize', bet, { key: randomUUID() });
    expect([answer.status, answer.body.error.code]).toEqual([503, 'WALLET_UNAVAILABLE']);
    await expectEventually(() => expect(eventsOf(bet.bet_id, 'bet.rolled_back')).toHaveLength(1));
    expect(await ledgerKinds(bet.bet_id)).toEqual(['debit', 'rollback']);
    expect(await cashOf(player.playerId)).toEqual(eur(10_000));
    await expectEventually(async () =>
      expect((await fleet.http.get(`/v1/bets/${bet.bet_id}`)).body.status).toBe('rolled_back'),
    );
  });

  it('an aggregator rollback returns the stake once; a rollback of a debit the wallet never saw succeeds', async () => {
    const player = await newPlayer(10_000);
    const bet = betFor(player, 400);
    await fleet.http.post('/v1/bets/authorize', bet, { key: randomUUID() });
    const key = randomUUID();
    expect(
      (await fleet.http.post('/v1/bets/rollback', { bet_id: bet.bet_id, reason: 'game error' }, { key }))
        .status,
    ).toBe(202);
    await fleet.http.post(
      '/v1/bets/rollback',
      { bet_id: bet.bet_id, reason: 'game error' },
      { key: randomUUID() },
    );
    await expectEventually(() => expect(eventsOf(bet.bet_id, 'bet.rolled_back')).toHaveLength(1));
    expect(await ledgerKinds(bet.bet_id)).toEqual(['debit', 'rollback']);
    expect(await cashOf(player.playerId)).toEqual(eur(10_000));
    await expectEventually(async () => {
      const again = await fleet.http.post(
        '/v1/bets/rollback',
        { bet_id: bet.bet_id, reason: 'game error' },
        { key: randomUUID() },
      );
      expect([again.status, again.body.status]).toEqual([200, 'rolled_back']);
    });
  });

  it('wallet offline: authorizes fail fast and are rolled back; pending credits land once it returns, none twice', async () => {
    const players = await Promise.all([newPlayer(10_000), newPlayer(10_000), newPlayer(10_000)]);
    const settledBets = players.map((player) => betFor(player, 1_000));
    for (const bet of settledBets) await fleet.http.post('/v1/bets/authorize', bet, { key: randomUUID() });

    await fleet.wallet.admin.setFaults({ offline: true });
    for (const bet of settledBets) {
      await fleet.http.post(
        '/v1/bets/settle',
        { bet_id: bet.bet_id, round_id: bet.round_id, win: eur(2_500) },
        { key: randomUUID() },
      );
    }
    const refusedBets = players.map((player) => betFor(player, 100));
    const refused = await Promise.all(
      refusedBets.map((bet) => fleet.http.post('/v1/bets/authorize', bet, { key: randomUUID() })),
    );
    expect(refused.map((answer) => answer.body.error?.code)).toEqual([
      'WALLET_UNAVAILABLE',
      'WALLET_UNAVAILABLE',
      'WALLET_UNAVAILABLE',
    ]);
    // While it is offline nothing is credited; the saga keeps retrying on its durable timers.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    for (const bet of settledBets) expect(eventsOf(bet.bet_id, 'bet.settled')).toHaveLength(0);

    await fleet.wallet.admin.clearFaults();
    await expectEventually(
      async () => {
        for (const player of players) expect(await cashOf(player.playerId)).toEqual(eur(11_500));
      },
      { timeoutMs: 30_000 },
    );
    await expectEventually(() => {
      for (const bet of [...settledBets, ...refusedBets]) {
        const outcome = settledBets.includes(bet) ? 'bet.settled' : 'bet.rolled_back';
        expect(eventsOf(bet.bet_id, outcome)).toHaveLength(1);
      }
    });
    for (const bet of settledBets) expect(await ledgerKinds(bet.bet_id)).toEqual(['credit', 'debit']);
    // The refused debits never reached the wallet; their rollbacks were answered "never seen".
    for (const bet of refusedBets) expect(await ledgerKinds(bet.bet_id)).toEqual([]);
  });

  it('a gateway killed mid-debit leaves no stake behind: the debit is recorded uncertain and rolled back', async () => {
    const player = await newPlayer(10_000);
    const bet = betFor(player, 900);
    await fleet.wallet.admin.setFaults({ latency_ms: 3_000, operations: ['debit'] });
    const victim = await startServiceProcess('bet-gateway', {
      env: { ...fleet.env.gateway, WALLET_TIMEOUT_MS: '10000', DEBIT_RECOVERY_AFTER_MS: '60000' },
    });
    const client = signedHttpClient(victim.url, fleet.tenantId, fleet.secret);
    const inFlight = client.post('/v1/bets/authorize', bet, { key: randomUUID() }).catch(() => undefined);
    // Killed once the intent is recorded and the debit is held by the (slow) wallet: seeing `debit_pending` alone
    // could kill the gateway before its request left, and then the wallet would never take the stake.
    await expectEventually(async () =>
      expect((await fleet.http.get(`/v1/bets/${bet.bet_id}`)).body.status).toBe('debit_pending'),
    );
    await expectEventually(async () => expect(await debitsInFlight()).toBeGreaterThan(0));
    await victim.kill('SIGKILL');
    await inFlight;
    await expectEventually(async () => expect(await ledgerKinds(bet.bet_id)).toEqual(['debit']));
    await fleet.wallet.admin.clearFaults();

    // A replica with a short recovery horizon finds the orphaned debit and has it rolled back (the horizon must
    // exceed the fleet's 1 s wallet timeout, or the replica refuses to start).
    const rescuer = await startServiceProcess('bet-gateway', {
      env: { ...fleet.env.gateway, DEBIT_RECOVERY_AFTER_MS: '1500' },
    });
    try {
      await expectEventually(
        async () => expect(await ledgerKinds(bet.bet_id)).toEqual(['debit', 'rollback']),
        { timeoutMs: 30_000 },
      );
      await expectEventually(() =>
        expect(eventsOf(bet.bet_id).map((e) => e.envelope.event_type)).toEqual(
          expect.arrayContaining(['debit.uncertain', 'rollback.requested', 'bet.rolled_back']),
        ),
      );
      expect(await cashOf(player.playerId)).toEqual(eur(10_000));
    } finally {
      await rescuer.kill();
    }
  });
});
