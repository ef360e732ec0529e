import { randomUUID } from 'node:crypto';

import {
  createGrpcGatewayClient,
  expectEventually,
  type GrpcGatewayClient,
  authorizeBody,
  type MoneyFleet,
  openTestPlayer,
  type TestPlayer,
  startMoneyFleet,
} from '@pitboss/testing';

const MAX_SAFE = Number.MAX_SAFE_INTEGER;
const eur = (minor_units: number) => ({ minor_units, currency: 'EUR' });
const errorCodeOf = (response: { body: any }) => response.body?.error?.code as string | undefined;

/**
 * What an outside conformance run of the aggregator contract found (issue 14), each as the aggregator sees it,
 * on the real fleet (gateway, settle-worker, relay, wallet sandbox): money at the edge of what JSON carries,
 * unreadable bodies, refusals and their idempotency records, ids and codes as the guide documents them.
 */
describe('bet-gateway against the aggregator guide', () => {
  let fleet: MoneyFleet;
  let grpc: GrpcGatewayClient;

  beforeAll(async () => {
    fleet = await startMoneyFleet({
      label: 'conform',
      // A small session bucket, so a test can tell whether replays are charged to it.
      gatewayEnv: { RATE_LIMIT_SESSION_BURST: '3', RATE_LIMIT_SESSION_PER_SECOND: '1' },
    });
    grpc = createGrpcGatewayClient({
      address: fleet.gateway.grpcAddress ?? '',
      tenantId: fleet.tenantId,
      secret: fleet.secret,
    });
  });

  afterAll(async () => {
    grpc?.close();
    await fleet?.stop();
  });

  const playerWithSession = (cash: number, gameId = 'starburst') => openTestPlayer(fleet, { cash, gameId });
  const authorizeBetBody = (player: TestPlayer, minorUnits = 250) =>
    authorizeBody(player, { amount: eur(minorUnits) });

  describe('a stake of 2^53 − 1, the largest the guide allows', () => {
    it('is refused INSUFFICIENT_FUNDS for a poorer player, for good: replayed, rolled back, never pending', async () => {
      const player = await playerWithSession(1_000);
      const body = authorizeBetBody(player, MAX_SAFE);
      const key = randomUUID();

      const first = await fleet.http.post('/v1/bets/authorize', body, { key });
      const again = await fleet.http.post('/v1/bets/authorize', body, { key });

      expect([first.status, errorCodeOf(first), first.body.error.balance]).toEqual([
        402,
        'INSUFFICIENT_FUNDS',
        eur(1_000),
      ]);
      expect([again.status, errorCodeOf(again), again.headers.get('idempotent-replayed')]).toEqual([
        402,
        'INSUFFICIENT_FUNDS',
        'true',
      ]);
      expect((await fleet.http.get(`/v1/bets/${body.bet_id}`)).body.status).toBe('rejected');
      const rollback = await fleet.http.post(
        '/v1/bets/rollback',
        { bet_id: body.bet_id, reason: 'refused stake' },
        { key: randomUUID() },
      );
      expect(rollback.status).toBeLessThan(300);
      const grpcAnswer = await grpc.authorizeBet(
        { ...authorizeBetBody(player, MAX_SAFE), amount: { minor_units: MAX_SAFE, currency: 'EUR' } },
        { idempotencyKey: randomUUID() },
      );
      expect(grpcAnswer.ok ? 'ok' : grpcAnswer.errorCode).toBe('INSUFFICIENT_FUNDS');
    });

    it('is debited, published and returned exactly for a player who holds it', async () => {
      const player = await playerWithSession(MAX_SAFE);
      const body = authorizeBetBody(player, MAX_SAFE);

      const authorized = await fleet.http.post('/v1/bets/authorize', body, { key: randomUUID() });
      expect([authorized.status, authorized.body.balance]).toEqual([200, eur(0)]);
      const rollback = await fleet.http.post(
        '/v1/bets/rollback',
        { bet_id: body.bet_id, reason: 'game crashed' },
        { key: randomUUID() },
      );
      expect(rollback.status).toBe(202);

      // Through the outbox, Kafka (Avro) and settle-worker's saga: the long survives every hop exactly.
      await expectEventually(
        async () => expect((await fleet.http.get(`/v1/bets/${body.bet_id}`)).body.status).toBe('rolled_back'),
        { timeoutMs: 60_000 },
      );
      expect(await fleet.wallet.admin.balance(fleet.tenantId, player.playerId)).toMatchObject({
        cash: eur(MAX_SAFE),
      });
    });
  });

  describe('bodies that are not a JSON object', () => {
    const routes = ['/v1/sessions', '/v1/bets/authorize', '/v1/bets/settle', '/v1/bets/rollback'];
    const bodies = ['{"bet_id": "x",', 'null', '"hello"', '42', '[]', '', '{"a": 1, "a": 2}'];

    it.each(routes)('are INVALID_REQUEST, not retryable, on %s', async (route) => {
      for (const raw of bodies) {
        const answer = await fleet.http.postRaw(route, raw, { key: randomUUID() });
        expect([raw, answer.status, errorCodeOf(answer), answer.body.error.retryable]).toEqual([
          raw,
          400,
          'INVALID_REQUEST',
          false,
        ]);
      }
    });

    it('are refused unsigned before anything reads them: 401, never a 500', async () => {
      const answer = await fetch(`${fleet.gateway.url}/v1/bets/authorize`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-idempotency-key': randomUUID() },
        body: '{"bet_id": "x",',
      });
      expect(answer.status).toBe(401);
    });

    it.each([
      ['application/x-www-form-urlencoded', 'player_id=p&game_id=g&currency=EUR'],
      ['text/plain', '{"player_id":"p","game_id":"g","currency":"EUR"}'],
    ])('are UNSUPPORTED_MEDIA_TYPE when sent as %s', async (contentType, raw) => {
      const answer = await fleet.http.postRaw('/v1/sessions', raw, {
        key: randomUUID(),
        headers: { 'content-type': contentType },
      });
      expect([answer.status, errorCodeOf(answer)]).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
    });

    it('accepts application/json with charset=utf-8', async () => {
      const playerId = `p-${randomUUID()}`;
      const answer = await fleet.http.postRaw(
        '/v1/sessions',
        JSON.stringify({ player_id: playerId, game_id: 'g', currency: 'EUR' }),
        { key: randomUUID(), headers: { 'content-type': 'application/json; charset=utf-8' } },
      );
      expect(answer.status).toBe(201);
    });
  });

  describe('values checked as the guide states them', () => {
    it.each(['1.0000000000000001', '250.0', '2.5e2', '9007199254740993'])(
      'refuses minor_units written as %s, naming the field',
      async (written) => {
        const player = await playerWithSession(10_000);
        const body = JSON.stringify(authorizeBetBody(player)).replace(
          '"minor_units":250',
          `"minor_units":${written}`,
        );

        const answer = await fleet.http.postRaw('/v1/bets/authorize', body, { key: randomUUID() });

        expect([answer.status, errorCodeOf(answer)]).toEqual([400, 'INVALID_REQUEST']);
        expect(answer.body.error.fields.map((field: { path: string }) => field.path)).toEqual([
          'amount.minor_units',
        ]);
      },
    );

    it('refuses a currency that has the shape of a code but is none (QQQ)', async () => {
      const answer = await fleet.http.post(
        '/v1/sessions',
        { player_id: `p-${randomUUID()}`, game_id: 'g', currency: 'QQQ' },
        { key: randomUUID() },
      );
      expect([answer.status, answer.body.error.fields[0].path]).toEqual([400, 'currency']);
    });

    it('names unknown fields by their own path', async () => {
      const player = await playerWithSession(10_000);
      const body = { ...authorizeBetBody(player), amount: { ...eur(250), cents: 1 }, extra: true };

      const answer = await fleet.http.post('/v1/bets/authorize', body, { key: randomUUID() });

      expect(answer.body.error.fields).toEqual(
        expect.arrayContaining([
          { path: 'amount.cents', problem: 'unknown field' },
          { path: 'extra', problem: 'unknown field' },
        ]),
      );
    });

    it.each([
      ['129 characters', 'b'.repeat(129)],
      ['a non-ASCII character', encodeURIComponent('bét')],
    ])('answers 400 for a bet id of %s on GET, as the OpenAPI limits say', async (_case, id) => {
      const answer = await fleet.http.get(`/v1/bets/${id}`);
      expect([answer.status, errorCodeOf(answer), answer.body.error.fields[0].path]).toEqual([
        400,
        'INVALID_REQUEST',
        'bet_id',
      ]);
    });

    it('refuses a bet of another game than its session (GAME_MISMATCH), stored like every refusal', async () => {
      const player = await playerWithSession(10_000, 'book-of-ra');
      const body = authorizeBetBody(player);
      const key = randomUUID();

      const first = await fleet.http.post('/v1/bets/authorize', body, { key });
      const again = await fleet.http.post('/v1/bets/authorize', body, { key });

      expect([first.status, errorCodeOf(first)]).toEqual([422, 'GAME_MISMATCH']);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect(await fleet.wallet.admin.ledger({ betId: body.bet_id })).toEqual([]);
    });
  });

  describe('idempotency records and rate limits', () => {
    it('does not store a request refused before it ran: the corrected request may use the same key', async () => {
      const playerId = `p-${randomUUID()}`;
      const key = randomUUID();

      const invalid = await fleet.http.post('/v1/sessions', { player_id: playerId, game_id: 'g' }, { key });
      const corrected = await fleet.http.post(
        '/v1/sessions',
        { player_id: playerId, game_id: 'g', currency: 'EUR' },
        { key },
      );

      expect([invalid.status, corrected.status, corrected.headers.get('idempotent-replayed')]).toEqual([
        400,
        201,
        null,
      ]);
    });

    it('charges no rate-limit token for a replay of a stored answer', async () => {
      const player = await playerWithSession(10_000);
      const body = authorizeBetBody(player);
      const key = randomUUID();

      // The session's bucket holds 3 tokens; one authorize and ten replays of it must all be answered.
      const answers = [];
      for (let attempt = 0; attempt < 11; attempt++) {
        answers.push((await fleet.http.post('/v1/bets/authorize', body, { key })).status);
      }

      expect(answers).toEqual(Array(11).fill(200));
      expect(await fleet.wallet.admin.ledger({ betId: body.bet_id })).toHaveLength(1);
    });
  });

  it('serialises settles and a rollback racing on one bet: one of them wins, every answer agrees, none is a 5xx', async () => {
    const player = await playerWithSession(10_000);
    const body = authorizeBetBody(player);
    expect((await fleet.http.post('/v1/bets/authorize', body, { key: randomUUID() })).status).toBe(200);
    const settle = () =>
      fleet.http.post(
        '/v1/bets/settle',
        { bet_id: body.bet_id, round_id: body.round_id, win: eur(100) },
        { key: randomUUID() },
      );

    const [rollback, ...settles] = await Promise.all([
      fleet.http.post('/v1/bets/rollback', { bet_id: body.bet_id, reason: 'race' }, { key: randomUUID() }),
      ...Array.from({ length: 6 }, settle),
    ]);

    const settled = settles.some((answer) => answer.status < 300);
    if (settled) {
      expect(settles.map((answer) => answer.status < 300)).toEqual(settles.map(() => true));
      expect([rollback.status, errorCodeOf(rollback)]).toEqual([409, 'BET_ALREADY_SETTLED']);
    } else {
      expect(rollback.status).toBe(202);
      expect(settles.map(errorCodeOf)).toEqual(settles.map(() => 'BET_ALREADY_ROLLED_BACK'));
    }
    const { status } = (await fleet.http.get(`/v1/bets/${body.bet_id}`)).body;
    expect(settled ? ['pending_credit', 'credited'] : ['rollback_pending', 'rolled_back']).toContain(status);
  });

  it('records a rollback that arrives during the debit, and the debit after it changes nothing', async () => {
    const player = await playerWithSession(10_000);
    const body = authorizeBetBody(player);
    await fleet.wallet.admin.setFaults({ latency_ms: 400, operations: ['debit'] });
    try {
      const authorizing = fleet.http.post('/v1/bets/authorize', body, { key: randomUUID() });
      await expectEventually(async () =>
        expect((await fleet.http.get(`/v1/bets/${body.bet_id}`)).body.status).toBe('debit_pending'),
      );
      const rollback = await fleet.http.post(
        '/v1/bets/rollback',
        { bet_id: body.bet_id, reason: 'race' },
        { key: randomUUID() },
      );
      const authorized = await authorizing;

      expect(rollback.status).toBe(202);
      // The outcome was decided on the bet as the rollback left it, not as the intent did.
      expect([authorized.status, errorCodeOf(authorized)]).toEqual([409, 'BET_ALREADY_ROLLED_BACK']);
      const { status } = (await fleet.http.get(`/v1/bets/${body.bet_id}`)).body;
      expect(['rollback_pending', 'rolled_back']).toContain(status);
    } finally {
      await fleet.wallet.admin.clearFaults();
    }
  });

  describe('gRPC requests that are not well-formed protobuf', () => {
    it.each([
      ['a length running past the end', '0a 05 41'],
      ['a string field sent as fixed32', '0d 41 41 41 41'],
      ['a string field sent as a varint', '08 05'],
    ])('are INVALID_REQUEST (status 3) with %s', async (_case, hex) => {
      const answer = await grpc.sendBytes('GetBet', Buffer.from(hex.replace(/ /g, ''), 'hex'));
      expect(answer.ok ? 'ok' : [answer.code, answer.errorCode]).toEqual([3, 'INVALID_REQUEST']);
    });

    it('read an empty bonus_grant_id as no bonus, as the guide says of empty strings', async () => {
      const player = await playerWithSession(10_000);
      const answer = await grpc.authorizeBet(
        { ...authorizeBetBody(player), bonus_grant_id: '' },
        { idempotencyKey: randomUUID() },
      );
      expect(answer.ok ? answer.response.status : answer.errorCode).toBe('authorized');
    });
  });
});
