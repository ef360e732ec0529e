import { randomUUID } from 'node:crypto';

import {
  authorizeBody,
  type MoneyFleet,
  openTestPlayer,
  startMoneyFleet,
  type TestPlayer,
} from '@pitboss/testing';
import { walletKeys } from '@pitboss/wallet-client';

const eur = (minor_units: number) => ({ minor_units, currency: 'EUR' });

const BURST = 80;
const IN_FLIGHT = 4;
const QUEUED = 4;

/** The value of one sample of a metric in Prometheus text (0 when absent). */
function metricValue(text: string, name: string, labels: Readonly<Record<string, string>> = {}): number {
  const line = text
    .split('\n')
    .find(
      (candidate) =>
        (candidate.startsWith(`${name}{`) || candidate.startsWith(`${name} `)) &&
        Object.entries(labels).every(([key, value]) => candidate.includes(`${key}="${value}"`)),
    );
  return line === undefined ? 0 : Number(line.split(' ').at(-1));
}

/**
 * Issue 14: one player's burst must not take the wallet away from the others. The real gateway and wallet
 * sandbox (slowed down), one player firing 80 authorizes at once while another bets as usual.
 */
describe('bet-gateway with a noisy player', () => {
  let fleet: MoneyFleet;

  beforeAll(async () => {
    fleet = await startMoneyFleet({
      label: 'noisy',
      settleWorker: false,
      gatewayEnv: {
        WALLET_TIMEOUT_MS: '2000',
        MAX_DEBITS_IN_FLIGHT_PER_PLAYER: String(IN_FLIGHT),
        MAX_QUEUED_DEBITS_PER_PLAYER: String(QUEUED),
        // The session rate limit would answer the burst first; this test is about the wallet lane.
        RATE_LIMIT_SESSION_BURST: '1000',
        RATE_LIMIT_SESSION_PER_SECOND: '1000',
      },
    });
  });

  afterAll(async () => {
    await fleet?.stop();
  });

  afterEach(() => fleet.wallet.admin.clearFaults());

  const playerWithSession = (cash: number) => openTestPlayer(fleet, { cash });
  const betOf = (player: TestPlayer) => authorizeBody(player, { amount: eur(100) });

  const authorize = (bet: ReturnType<typeof betOf>) =>
    fleet.http.post('/v1/bets/authorize', bet, { key: randomUUID() });

  const debitKeysOf = async (playerId: string) =>
    (await fleet.wallet.admin.ledger({ tenantId: fleet.tenantId, playerId }))
      .filter((entry) => entry.kind === 'debit')
      .map((entry) => entry.transaction_id)
      .sort();

  const keysOf = (bets: readonly { bet_id: string }[]) =>
    bets.map((bet) => walletKeys.debit(fleet.tenantId, bet.bet_id)).sort();

  it("refuses the noisy player's excess without burning it, while the other player and the breaker are unaffected", async () => {
    const noisy = await playerWithSession(1_000_000);
    const quiet = await playerWithSession(1_000_000);
    await fleet.wallet.admin.setFaults({ latency_ms: 500, operations: ['debit'] });

    const burstBets = Array.from({ length: BURST }, () => betOf(noisy));
    const burst = Promise.all(burstBets.map((bet) => authorize(bet)));
    const quietBets = Array.from({ length: 4 }, () => betOf(quiet));
    const quietAnswers = [];
    for (const bet of quietBets) quietAnswers.push(await authorize(bet));
    const answers = await burst;

    expect(quietAnswers.map((answer) => [answer.status, answer.body.status])).toEqual(
      quietBets.map(() => [200, 'authorized']),
    );
    const authorized = burstBets.filter((_, i) => answers[i]!.status === 200);
    const refused = burstBets.filter((_, i) => answers[i]!.status === 429);
    expect(authorized.length + refused.length).toBe(BURST);
    // The lane holds IN_FLIGHT + QUEUED at a time; the burst arrives far faster than 500 ms debits drain it.
    expect(authorized.length).toBeGreaterThanOrEqual(IN_FLIGHT + QUEUED);
    expect(refused.length).toBeGreaterThanOrEqual(BURST / 2);
    const refusal = answers.find((answer) => answer.status === 429)!;
    expect(refusal.body.error).toMatchObject({ code: 'TOO_MANY_BETS_IN_FLIGHT', retryable: true });
    expect(refusal.headers.get('retry-after')).toBe('1');

    // Nothing was recorded for a refused bet, so it is not burnt: the same bet_id under a new key is authorized.
    for (const bet of refused)
      expect((await fleet.http.get(`/v1/bets/${bet.bet_id}`)).body.error?.code).toBe('BET_NOT_FOUND');
    await fleet.wallet.admin.clearFaults();
    const retried = refused.slice(0, 3);
    for (const bet of retried)
      expect((await authorize(bet)).body).toMatchObject({ status: 'authorized', bet_id: bet.bet_id });

    // Exactly one debit per authorized bet, none for a refused one that was not sent again.
    expect(await debitKeysOf(noisy.playerId)).toEqual(keysOf([...authorized, ...retried]));
    expect(await debitKeysOf(quiet.playerId)).toEqual(keysOf(quietBets));

    // The wallet was never uncertain, so the breaker had nothing to trip on, and it stayed closed.
    const metrics = await (await fetch(`${fleet.gateway.url}/metrics`)).text();
    expect(metricValue(metrics, 'wallet_circuit_state', { state: 'closed' })).toBe(1);
    expect(metricValue(metrics, 'wallet_circuit_state', { state: 'open' })).toBe(0);
    expect(metricValue(metrics, 'wallet_call_seconds_count', { outcome: 'uncertain' })).toBe(0);
    expect(metricValue(metrics, 'wallet_player_limit_refusals_total')).toBe(refused.length);
  });

  it('answers a retry of an answered bet from its key while the lane is full, not with the 429', async () => {
    const player = await playerWithSession(1_000_000);
    const answeredBet = betOf(player);
    const key = randomUUID();
    const first = await fleet.http.post('/v1/bets/authorize', answeredBet, { key });
    expect(first.body).toMatchObject({ status: 'authorized' });
    await fleet.wallet.admin.setFaults({ latency_ms: 500, operations: ['debit'] });

    // The lane full (IN_FLIGHT at the wallet, QUEUED waiting), then the retry and one bet more.
    const filling = Promise.all(Array.from({ length: IN_FLIGHT + QUEUED }, () => authorize(betOf(player))));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const retry = await fleet.http.post('/v1/bets/authorize', answeredBet, { key });
    const overLane = await authorize(betOf(player));
    await filling;

    expect([retry.status, retry.headers.get('idempotent-replayed')]).toEqual([200, 'true']);
    expect(retry.body).toEqual(first.body);
    expect([overLane.status, overLane.body.error?.code]).toEqual([429, 'TOO_MANY_BETS_IN_FLIGHT']);
  });
});
