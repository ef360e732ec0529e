import { randomUUID } from 'node:crypto';

import { TOPICS } from '@pitboss/contracts';
import { createPool } from '@pitboss/event-store';
import { infrastructureConfig } from '@pitboss/platform-config';
import { signRequest } from '@pitboss/security';
import {
  collectEvents,
  type EventCollector,
  expectEventually,
  authorizeBody,
  type MoneyFleet,
  openTestPlayer,
  publishTestEvents,
  signedHttpClient,
  issueToken,
  startMoneyFleet,
  startServiceProcess,
} from '@pitboss/testing';
import { HttpWalletClient, walletKeys } from '@pitboss/wallet-client';

const eur = (minor_units: number) => ({ minor_units, currency: 'EUR' });

/**
 * bet-gateway alone over HTTP, against the real wallet sandbox, Postgres, Redis, Kafka and registry: the
 * aggregator contract and every error code it can answer without settle-worker.
 */
describe('bet-gateway over HTTP', () => {
  let fleet: MoneyFleet;
  let rounds: EventCollector;
  let db: ReturnType<typeof createPool>;

  beforeAll(async () => {
    fleet = await startMoneyFleet({
      label: 'gwhttp',
      settleWorker: false,
      gatewayEnv: {
        WALLET_TIMEOUT_MS: '2000',
        IDEMPOTENCY_WAIT_MS: '0',
        RATE_LIMIT_SESSION_BURST: '60',
        RATE_LIMIT_SESSION_PER_SECOND: '1',
        DEGRADED_BACKLOG_SAMPLE_MS: '0',
      },
    });
    rounds = await collectEvents(fleet.topics, [TOPICS.rounds.name]);
    db = createPool({
      databaseUrl: infrastructureConfig().databaseUrl,
      schema: fleet.gatewaySchema,
      maxConnections: 2,
    });
  });

  afterAll(async () => {
    await db?.end();
    await rounds?.stop();
    await fleet?.stop();
  });

  afterEach(() => fleet.wallet.admin.clearFaults());

  const playerWithSession = (cash = 10_000, currency = 'EUR') => openTestPlayer(fleet, { cash, currency });

  const errorCodeOf = (response: { body: any }) => response.body?.error?.code as string | undefined;
  /** The bet's settlement was requested once on the bus, however many settles answered. */
  const expectSettlementRequestedOnce = (betId: string) =>
    expectEventually(() => {
      const requested = rounds.received.filter(
        (e) =>
          e.envelope.event_type === 'settlement.requested' && (e.envelope.payload as any).bet_id === betId,
      );
      expect(requested).toHaveLength(1);
    });

  it('authorizes with one exact debit and publishes bet.authorized through the registry', async () => {
    const player = await playerWithSession(10_000);
    const body = authorizeBody(player);
    const answer = await fleet.http.post('/v1/bets/authorize', body, { key: randomUUID() });

    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ status: 'authorized', bet_id: body.bet_id, balance: eur(9_750) });
    expect(await fleet.wallet.admin.ledger({ betId: body.bet_id })).toHaveLength(1);
    await expectEventually(() => {
      const event = rounds.received.find(
        (e) =>
          e.envelope.event_type === 'bet.authorized' && (e.envelope.payload as any).bet_id === body.bet_id,
      );
      expect(event?.envelope).toMatchObject({
        tenant_id: fleet.tenantId,
        player_id: player.playerId,
        round_id: body.round_id,
      });
      expect(event?.context.key).toBe(`${fleet.tenantId}:${player.playerId}`);
    });
  });

  it('answers a repeated call from the same key, a repeated bet under a new key, and moves money once', async () => {
    const player = await playerWithSession(10_000);
    const body = authorizeBody(player);
    const key = randomUUID();
    const first = await fleet.http.post('/v1/bets/authorize', body, { key });
    const replay = await fleet.http.post('/v1/bets/authorize', body, { key });
    const newKey = await fleet.http.post('/v1/bets/authorize', body, { key: randomUUID() });

    expect(replay.body).toEqual(first.body);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(newKey.body).toEqual(first.body);
    expect(await fleet.wallet.admin.ledger({ betId: body.bet_id })).toHaveLength(1);
  });

  it('lets 50 concurrent identical requests have one effect, and refuses the key with another body (422)', async () => {
    const player = await playerWithSession(10_000);
    const body = authorizeBody(player);
    const key = randomUUID();
    const answers = await Promise.all(
      Array.from({ length: 50 }, () => fleet.http.post('/v1/bets/authorize', body, { key })),
    );
    const statuses = answers.map((answer) => answer.status);
    // Each duplicate either waits out the first (replay) or is told it is still running; none executes again.
    expect(statuses.every((status) => status === 200 || status === 409)).toBe(true);
    expect(
      answers.filter((a) => a.status === 409).every((a) => errorCodeOf(a) === 'IDEMPOTENCY_IN_PROGRESS'),
    ).toBe(true);
    expect(await fleet.wallet.admin.ledger({ betId: body.bet_id })).toHaveLength(1);
    expect((await fleet.wallet.admin.balance(fleet.tenantId, player.playerId)).cash).toEqual(eur(9_750));

    const mismatch = await fleet.http.post('/v1/bets/authorize', { ...body, amount: eur(1) }, { key });
    expect([mismatch.status, errorCodeOf(mismatch)]).toEqual([422, 'IDEMPOTENCY_MISMATCH']);
  });

  it('answers IDEMPOTENCY_IN_PROGRESS with Retry-After while the first call is still at the wallet', async () => {
    const player = await playerWithSession();
    await fleet.wallet.admin.setFaults({ latency_ms: 500, operations: ['debit'] });
    const body = authorizeBody(player);
    const key = randomUUID();
    const first = fleet.http.post('/v1/bets/authorize', body, { key });
    await expectEventually(async () => {
      const [row] = (await db.query('SELECT 1 FROM idempotency_records WHERE idempotency_key = $1', [key]))
        .rows;
      expect(row).toBeDefined();
    });
    const second = await fleet.http.post('/v1/bets/authorize', body, { key });
    expect([second.status, errorCodeOf(second), second.headers.get('retry-after')]).toEqual([
      409,
      'IDEMPOTENCY_IN_PROGRESS',
      '1',
    ]);
    expect((await first).status).toBe(200);
  });

  it('refuses a bet_id reused with another amount (DUPLICATE_BET_ID) and a foreign currency (CURRENCY_MISMATCH)', async () => {
    const player = await playerWithSession();
    const body = authorizeBody(player);
    await fleet.http.post('/v1/bets/authorize', body, { key: randomUUID() });
    const duplicate = await fleet.http.post(
      '/v1/bets/authorize',
      { ...body, amount: eur(999) },
      { key: randomUUID() },
    );
    const currency = await fleet.http.post(
      '/v1/bets/authorize',
      authorizeBody(player, { amount: { minor_units: 5, currency: 'USD' } }),
      { key: randomUUID() },
    );
    expect([duplicate.status, errorCodeOf(duplicate)]).toEqual([422, 'DUPLICATE_BET_ID']);
    expect([currency.status, errorCodeOf(currency)]).toEqual([422, 'CURRENCY_MISMATCH']);
  });

  it('refuses INSUFFICIENT_FUNDS with the actual balance and leaves the ledger untouched', async () => {
    const player = await playerWithSession(100);
    const answer = await fleet.http.post('/v1/bets/authorize', authorizeBody(player), { key: randomUUID() });
    expect(answer.status).toBe(402);
    expect(answer.body.error).toMatchObject({
      code: 'INSUFFICIENT_FUNDS',
      retryable: false,
      balance: eur(100),
    });
    expect(await fleet.wallet.admin.ledger({ playerId: player.playerId })).toHaveLength(0);
  });

  it('answers PLAYER_NOT_FOUND when the wallet has no account', async () => {
    const opened = await fleet.http.post(
      '/v1/sessions',
      { player_id: 'nobody', game_id: 'starburst', currency: 'EUR' },
      { key: randomUUID() },
    );
    const answer = await fleet.http.post(
      '/v1/bets/authorize',
      authorizeBody({ playerId: 'nobody', sessionId: opened.body.session_id }),
      { key: randomUUID() },
    );
    expect([answer.status, errorCodeOf(answer)]).toEqual([404, 'PLAYER_NOT_FOUND']);
  });

  it('checks the session on authorize only: SESSION_NOT_FOUND, SESSION_EXPIRED, and settle after expiry works', async () => {
    const player = await playerWithSession();
    const unknown = await fleet.http.post(
      '/v1/bets/authorize',
      authorizeBody(player, { session_id: randomUUID() }),
      { key: randomUUID() },
    );
    expect([unknown.status, errorCodeOf(unknown)]).toEqual([404, 'SESSION_NOT_FOUND']);

    const body = authorizeBody(player);
    expect((await fleet.http.post('/v1/bets/authorize', body, { key: randomUUID() })).status).toBe(200);
    await db.query("UPDATE sessions SET expires_at = now() - interval '1 second' WHERE session_id = $1", [
      player.sessionId,
    ]);

    const expired = await fleet.http.post('/v1/bets/authorize', authorizeBody(player), { key: randomUUID() });
    expect([expired.status, errorCodeOf(expired)]).toEqual([410, 'SESSION_EXPIRED']);
    const settle = await fleet.http.post(
      '/v1/bets/settle',
      { bet_id: body.bet_id, round_id: body.round_id, win: eur(0) },
      { key: randomUUID() },
    );
    expect(settle.body).toEqual({ status: 'pending_credit', bet_id: body.bet_id });
    expect(settle.status).toBe(202);
  });

  it('settles once: the same settle answers the status, another win is BET_ALREADY_SETTLED, a rollback too', async () => {
    const player = await playerWithSession();
    const body = authorizeBody(player);
    await fleet.http.post('/v1/bets/authorize', body, { key: randomUUID() });
    const settle = { bet_id: body.bet_id, round_id: body.round_id, win: eur(500) };
    expect((await fleet.http.post('/v1/bets/settle', settle, { key: randomUUID() })).body.status).toBe(
      'pending_credit',
    );
    expect((await fleet.http.post('/v1/bets/settle', settle, { key: randomUUID() })).body.status).toBe(
      'pending_credit',
    );

    const other = await fleet.http.post('/v1/bets/settle', { ...settle, win: eur(1) }, { key: randomUUID() });
    const rollback = await fleet.http.post(
      '/v1/bets/rollback',
      { bet_id: body.bet_id, reason: 'late' },
      { key: randomUUID() },
    );
    const unknown = await fleet.http.post(
      '/v1/bets/settle',
      { ...settle, bet_id: 'never-placed' },
      { key: randomUUID() },
    );
    expect([other.status, errorCodeOf(other)]).toEqual([409, 'BET_ALREADY_SETTLED']);
    expect([rollback.status, errorCodeOf(rollback)]).toEqual([409, 'BET_ALREADY_SETTLED']);
    expect([unknown.status, errorCodeOf(unknown)]).toEqual([404, 'BET_NOT_FOUND']);
    await expectSettlementRequestedOnce(body.bet_id);
  });

  it('replays a settle under its key: the answer stored with the append, a refusal too, another body is a mismatch', async () => {
    const player = await playerWithSession();
    const body = authorizeBody(player);
    await fleet.http.post('/v1/bets/authorize', body, { key: randomUUID() });
    const settle = { bet_id: body.bet_id, round_id: body.round_id, win: eur(500) };
    const key = randomUUID();
    const refusedKey = randomUUID();

    const first = await fleet.http.post('/v1/bets/settle', settle, { key });
    const again = await fleet.http.post('/v1/bets/settle', settle, { key });
    const otherBody = await fleet.http.post('/v1/bets/settle', { ...settle, win: eur(1) }, { key });
    const refused = await fleet.http.post(
      '/v1/bets/settle',
      { ...settle, bet_id: 'never-placed' },
      { key: refusedKey },
    );
    const refusedAgain = await fleet.http.post(
      '/v1/bets/settle',
      { ...settle, bet_id: 'never-placed' },
      { key: refusedKey },
    );

    expect([first.status, first.headers.get('idempotent-replayed')]).toEqual([202, null]);
    expect([again.status, again.headers.get('idempotent-replayed'), again.body]).toEqual([
      202,
      'true',
      first.body,
    ]);
    expect([otherBody.status, errorCodeOf(otherBody)]).toEqual([422, 'IDEMPOTENCY_MISMATCH']);
    expect([refused.status, errorCodeOf(refused)]).toEqual([404, 'BET_NOT_FOUND']);
    expect([refusedAgain.status, refusedAgain.headers.get('idempotent-replayed')]).toEqual([404, 'true']);
    await expectSettlementRequestedOnce(body.bet_id);
  });

  it('rolls back: pending for a debited bet, rolled_back at once for an unknown one, whose late bet is refused', async () => {
    const player = await playerWithSession();
    const body = authorizeBody(player);
    await fleet.http.post('/v1/bets/authorize', body, { key: randomUUID() });
    const pending = await fleet.http.post(
      '/v1/bets/rollback',
      { bet_id: body.bet_id, reason: 'game crashed' },
      { key: randomUUID() },
    );
    expect([pending.status, pending.body.status]).toEqual([202, 'rollback_pending']);
    const settle = await fleet.http.post(
      '/v1/bets/settle',
      { bet_id: body.bet_id, round_id: body.round_id, win: eur(1) },
      { key: randomUUID() },
    );
    expect([settle.status, errorCodeOf(settle)]).toEqual([409, 'BET_ALREADY_ROLLED_BACK']);

    const late = authorizeBody(player);
    const tombstone = await fleet.http.post(
      '/v1/bets/rollback',
      { bet_id: late.bet_id, reason: 'timeout' },
      { key: randomUUID() },
    );
    expect([tombstone.status, tombstone.body.status]).toEqual([200, 'rolled_back']);
    const refused = await fleet.http.post('/v1/bets/authorize', late, { key: randomUUID() });
    expect([refused.status, errorCodeOf(refused)]).toEqual([409, 'BET_ALREADY_ROLLED_BACK']);
    expect(await fleet.wallet.admin.ledger({ betId: late.bet_id })).toHaveLength(0);
  });

  it('rolls back an uncertain debit automatically and answers WALLET_UNAVAILABLE', async () => {
    const player = await playerWithSession();
    await fleet.wallet.admin.setFaults({ timeout_rate: 1, operations: ['debit'] });
    const body = authorizeBody(player);
    const answer = await fleet.http.post('/v1/bets/authorize', body, { key: randomUUID() });
    expect(answer.status).toBe(503);
    expect(answer.body.error).toMatchObject({ code: 'WALLET_UNAVAILABLE', retryable: true });
    await expectEventually(() => {
      const types = rounds.received
        .filter((e) => (e.envelope.payload as any).bet_id === body.bet_id)
        .map((e) => e.envelope.event_type);
      expect(types).toEqual(['debit.uncertain', 'rollback.requested']);
    });
    const bet = await fleet.http.get(`/v1/bets/${body.bet_id}`);
    expect(bet.body.status).toBe('rollback_pending');
  });

  it('shows a bet with its history and a round with its bets', async () => {
    const player = await playerWithSession();
    const body = authorizeBody(player);
    await fleet.http.post('/v1/bets/authorize', body, { key: randomUUID() });
    const bet = await fleet.http.get(`/v1/bets/${body.bet_id}`);
    expect(bet.body).toMatchObject({
      bet_id: body.bet_id,
      round_id: body.round_id,
      status: 'authorized',
      amount: eur(250),
    });
    expect(bet.body.history.map((entry: { type: string }) => entry.type)).toEqual([
      'bet.debit_requested',
      'bet.authorized',
    ]);
    const round = await fleet.http.get(`/v1/rounds/${body.round_id}`);
    expect(round.body.bets.map((b: { bet_id: string }) => b.bet_id)).toEqual([body.bet_id]);
    expect(errorCodeOf(await fleet.http.get('/v1/bets/none'))).toBe('BET_NOT_FOUND');
    expect(errorCodeOf(await fleet.http.get('/v1/rounds/none'))).toBe('ROUND_NOT_FOUND');
  });

  it('takes SELF_EXCLUDED, PLAYER_BLOCKED, BONUS_MAX_BET_EXCEEDED and BONUS_RULE_VIOLATION from its read models of rg.v1 and promo.grants.v1', async () => {
    const excluded = await playerWithSession();
    const blocked = await playerWithSession();
    const bonus = await playerWithSession();
    const event = (topic: string, eventType: string, playerId: string, payload: Record<string, unknown>) => ({
      topic,
      eventType,
      tenantId: fleet.tenantId,
      playerId,
      payload,
    });
    await publishTestEvents(fleet.topics, [
      event(TOPICS.responsibleGaming.name, 'player.self_excluded', excluded.playerId, {
        excluded_until: null,
        reason: 'player',
      }),
      event(TOPICS.responsibleGaming.name, 'player.blocked', blocked.playerId, { reason: 'kyc' }),
      event(TOPICS.promoGrants.name, 'bonus.issued', bonus.playerId, {
        grant_id: 'g-1',
        offer_id: 'o-1',
        amount: eur(1_000),
        max_bet: eur(200),
        expires_at: null,
      }),
      event(TOPICS.promoGrants.name, 'bonus.issued', bonus.playerId, {
        grant_id: 'g-excluding',
        offer_id: 'o-2',
        amount: eur(1_000),
        max_bet: null,
        expires_at: null,
        excluded_games: ['starburst'],
      }),
    ]);
    await expectEventually(async () => {
      const answer = await fleet.http.post('/v1/bets/authorize', authorizeBody(excluded), {
        key: randomUUID(),
      });
      expect([answer.status, errorCodeOf(answer)]).toEqual([403, 'SELF_EXCLUDED']);
    });
    await expectEventually(async () => {
      const answer = await fleet.http.post('/v1/bets/authorize', authorizeBody(blocked), {
        key: randomUUID(),
      });
      expect([answer.status, errorCodeOf(answer)]).toEqual([403, 'PLAYER_BLOCKED']);
    });
    await expectEventually(async () => {
      const answer = await fleet.http.post(
        '/v1/bets/authorize',
        authorizeBody(bonus, { bonus_grant_id: 'g-1', amount: eur(201) }),
        { key: randomUUID() },
      );
      expect(answer.body.error).toMatchObject({ code: 'BONUS_MAX_BET_EXCEEDED', max_bet: eur(200) });
    });
    const within = await fleet.http.post(
      '/v1/bets/authorize',
      authorizeBody(bonus, { bonus_grant_id: 'g-1', amount: eur(200) }),
      { key: randomUUID() },
    );
    expect(within.status).toBe(200);
    const noGrant = await fleet.http.post(
      '/v1/bets/authorize',
      authorizeBody(bonus, { bonus_grant_id: 'g-2' }),
      { key: randomUUID() },
    );
    expect(errorCodeOf(noGrant)).toBe('BONUS_NOT_ACTIVE');
    await expectEventually(async () => {
      const answer = await fleet.http.post(
        '/v1/bets/authorize',
        authorizeBody(bonus, { bonus_grant_id: 'g-excluding' }),
        { key: randomUUID() },
      );
      expect([answer.status, answer.body.error]).toMatchObject([
        422,
        { code: 'BONUS_RULE_VIOLATION', game_id: 'starburst' },
      ]);
    });
  });

  it('debits a bonus bet from cash first, then from the grant it names, and records the funding the wallet answered', async () => {
    const player = await playerWithSession(100);
    const grantId = `g-${randomUUID()}`;
    // The grant's funds as bonus-grant's saga leaves them in the wallet: a bonus credit by the grant's key.
    const wallet = new HttpWalletClient({ baseUrl: fleet.wallet.url, timeoutMs: 2_000, maxConnections: 2 });
    expect(
      await wallet.credit({
        tenantId: fleet.tenantId,
        playerId: player.playerId,
        transactionId: walletKeys.grantCredit(fleet.tenantId, grantId),
        amount: eur(1_000),
        grantId,
        balance: 'bonus',
      }),
    ).toMatchObject({ kind: 'ok' });
    await publishTestEvents(fleet.topics, [
      {
        topic: TOPICS.promoGrants.name,
        eventType: 'bonus.issued',
        tenantId: fleet.tenantId,
        playerId: player.playerId,
        payload: {
          grant_id: grantId,
          offer_id: 'o-fund',
          amount: eur(1_000),
          max_bet: null,
          expires_at: null,
        },
      },
    ]);
    // Until the read model has the grant, a bet naming it is refused BONUS_NOT_ACTIVE and changes nothing.
    const body = await expectEventually(async () => {
      const attempt = authorizeBody(player, { bonus_grant_id: grantId, amount: eur(300) });
      const answer = await fleet.http.post('/v1/bets/authorize', attempt, { key: randomUUID() });
      expect([answer.status, answer.body]).toEqual([
        200,
        { status: 'authorized', bet_id: attempt.bet_id, balance: eur(0) },
      ]);
      return attempt;
    });
    const [debit] = await fleet.wallet.admin.ledger({ betId: body.bet_id });
    expect(debit).toMatchObject({
      kind: 'debit',
      cash_delta_minor_units: -100,
      bonus_delta_minor_units: -200,
    });
    expect(await fleet.wallet.admin.balance(fleet.tenantId, player.playerId)).toEqual({
      cash: eur(0),
      bonus: eur(800),
    });
    await expectEventually(() => {
      const authorized = rounds.received.find(
        (e) =>
          e.envelope.event_type === 'bet.authorized' && (e.envelope.payload as any).bet_id === body.bet_id,
      );
      expect(authorized?.envelope.payload).toMatchObject({ bonus_grant_id: grantId, funded_by: 'mixed' });
    });
  });

  it('refuses bad input with INVALID_REQUEST naming the fields, and oversize bodies with PAYLOAD_TOO_LARGE', async () => {
    const invalid = await fleet.http.post(
      '/v1/bets/authorize',
      { bet_id: '', amount: { minor_units: 1.5, currency: 'eur' } },
      { key: randomUUID() },
    );
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.code).toBe('INVALID_REQUEST');
    const paths = invalid.body.error.fields.map((field: { path: string }) => field.path);
    expect(paths).toEqual(
      expect.arrayContaining(['bet_id', 'amount.minor_units', 'amount.currency', 'round_id']),
    );

    const missingKey = await fleet.http.post('/v1/sessions', {
      player_id: 'p',
      game_id: 'g',
      currency: 'EUR',
    });
    expect([missingKey.status, errorCodeOf(missingKey)]).toEqual([400, 'IDEMPOTENCY_KEY_MISSING']);

    const huge = await fleet.http.post(
      '/v1/sessions',
      { player_id: 'p'.repeat(20_000), game_id: 'g', currency: 'EUR' },
      { key: randomUUID() },
    );
    expect([huge.status, errorCodeOf(huge)]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
  });

  it('refuses unsigned, stale and unknown-tenant requests before doing anything', async () => {
    const body = JSON.stringify({ player_id: 'p', game_id: 'g', currency: 'EUR' });
    const send = (headers: Record<string, string>) =>
      fetch(`${fleet.gateway.url}/v1/sessions`, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json', 'x-idempotency-key': randomUUID(), ...headers },
      }).then(async (response) => ({ status: response.status, body: (await response.json()) as any }));
    const signed = (tenant: string, timestamp: number, secret = fleet.secret) => ({
      'x-tenant-id': tenant,
      'x-timestamp': String(timestamp),
      'x-signature': signRequest({ secret, timestamp, method: 'POST', path: '/v1/sessions', body }),
    });

    const badSignature = await send(signed(fleet.tenantId, Date.now(), 'wrong-secret'));
    const stale = await send(signed(fleet.tenantId, Date.now() - 6 * 60_000));
    const unknownTenant = await send(signed('nobody', Date.now()));
    expect([badSignature.status, errorCodeOf(badSignature)]).toEqual([401, 'INVALID_SIGNATURE']);
    expect([stale.status, errorCodeOf(stale)]).toEqual([401, 'STALE_TIMESTAMP']);
    expect([unknownTenant.status, errorCodeOf(unknownTenant)]).toEqual([401, 'UNKNOWN_TENANT']);
  });

  it('rate-limits a runaway session with RATE_LIMITED and Retry-After', async () => {
    const player = await playerWithSession(1_000_000);
    const bodies = Array.from({ length: 80 }, () => authorizeBody(player, { amount: eur(1) }));
    // In waves the player's debit lane takes whole (4 running + 4 waiting): it refuses what it cannot take
    // (TOO_MANY_BETS_IN_FLIGHT) before the bet's claim, and so before the rate-limit charge that follows it.
    const send = (body: (typeof bodies)[number]) =>
      fleet.http.post('/v1/bets/authorize', body, { key: randomUUID() });
    const answers: Awaited<ReturnType<typeof send>>[] = [];
    const started = Date.now();
    for (let wave = 0; wave < bodies.length; wave += 8)
      answers.push(...(await Promise.all(bodies.slice(wave, wave + 8).map(send))));
    // The bucket holds 60 tokens and gets one back per second while the waves run.
    const refilled = Math.ceil((Date.now() - started) / 1000);
    const limited = answers.filter((answer) => errorCodeOf(answer) === 'RATE_LIMITED');
    expect(limited.length).toBeGreaterThanOrEqual(80 - 60 - refilled);
    expect(limited[0]!.status).toBe(429);
    expect(Number(limited[0]!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // A refused request changed nothing: none of the rate-limited bets reached the wallet.
    const limitedBets = new Set(
      bodies.filter((_, index) => answers[index]!.status === 429).map((b) => b.bet_id),
    );
    const debited = await fleet.wallet.admin.ledger({ playerId: player.playerId });
    expect(debited.filter((entry) => limitedBets.has(entry.bet_id ?? ''))).toEqual([]);
  });

  it('refuses new sessions in degraded mode (admin switch, then settlement backlog) while rounds keep settling', async () => {
    const player = await playerWithSession();
    const body = authorizeBody(player);
    expect((await fleet.http.post('/v1/bets/authorize', body, { key: randomUUID() })).body).toMatchObject({
      status: 'authorized',
    });
    const adminToken = await issueToken('platform-ops-1', { scope: 'gateway:admin' });
    const admin = (method: 'GET' | 'PUT', payload?: unknown, token = adminToken) =>
      fetch(`${fleet.gateway.url}/v1/admin/mode`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        ...(payload === undefined ? {} : { body: JSON.stringify(payload) }),
      }).then(async (response) => ({ status: response.status, body: (await response.json()) as any }));

    const wrong = await admin('GET', undefined, 'wrong');
    expect([wrong.status, wrong.body.error.code]).toEqual([401, 'UNAUTHENTICATED']);
    const brand = await admin(
      'PUT',
      { no_new_sessions: true, reason: 'x' },
      await issueToken('brand-a-ops-1'),
    );
    expect([brand.status, brand.body.error.code]).toEqual([403, 'TENANT_MISMATCH']);
    const unscoped = await admin('GET', undefined, await issueToken('platform-ops-2'));
    expect([unscoped.status, unscoped.body.error.scope]).toEqual([403, 'gateway:admin']);
    expect((await admin('PUT', { no_new_sessions: true, reason: 'wallet maintenance' })).body).toMatchObject({
      no_new_sessions: true,
      source: 'manual',
    });
    const refused = await fleet.http.post(
      '/v1/sessions',
      { player_id: player.playerId, game_id: 'g', currency: 'EUR' },
      { key: randomUUID() },
    );
    expect([refused.status, errorCodeOf(refused)]).toEqual([503, 'NO_NEW_SESSIONS']);
    const settle = await fleet.http.post(
      '/v1/bets/settle',
      { bet_id: body.bet_id, round_id: body.round_id, win: eur(10) },
      { key: randomUUID() },
    );
    expect(settle.status).toBe(202);
    expect(
      (await fleet.http.post('/v1/bets/authorize', authorizeBody(player), { key: randomUUID() })).status,
    ).toBe(200);
    await admin('PUT', { no_new_sessions: false, reason: 'done' });

    // No settle-worker runs here, so every accepted settlement stays in the backlog.
    const { rows } = await db.query(
      "SELECT count(*)::int AS n FROM bet_index WHERE status = 'pending_credit'",
    );
    await fleet.gateway.kill();
    const restarted = await startServiceProcess('bet-gateway', {
      env: {
        ...fleet.env.gateway,
        DEGRADED_BACKLOG_THRESHOLD: String(rows[0].n - 1),
        DEGRADED_BACKLOG_SAMPLE_MS: '0',
      },
    });
    try {
      const client = signedHttpClient(restarted.url, fleet.tenantId, fleet.secret);
      const auto = await client.post(
        '/v1/sessions',
        { player_id: player.playerId, game_id: 'g', currency: 'EUR' },
        { key: randomUUID() },
      );
      expect([auto.status, errorCodeOf(auto)]).toEqual([503, 'NO_NEW_SESSIONS']);
      expect(auto.body.error.message).toContain('settlement backlog');
    } finally {
      await restarted.kill();
    }
  });
});
