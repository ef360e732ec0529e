import { randomBytes, randomInt } from 'node:crypto';
import { parseArgs } from 'node:util';

import { createKafka, createSchemaRegistry, EventCodec, TopicNaming } from '@pitboss/messaging';
import { envInt, infrastructureConfig } from '@pitboss/platform-config';

import {
  aggregatorClient,
  type AggregatorClient,
  type ClientTarget,
  type Transport,
} from '../demo/aggregator-client';
import { type Fleet } from '../demo/fleet';
import { runWithFleet } from '../demo/fleet-run';
import { formatLatencies } from '../demo/latency-stats';
import { compareLedger, ExpectedLedger } from '../demo/ledger-check';
import { meanHandlingMs, sandboxAdmin } from '../demo/sandbox-admin';
import { type Accepted, awaitOutcomes } from '../demo/settlement-outcomes';
import { watchTopic } from '../demo/topic-watch';
import { machineLine } from './bench-support';

const { values: flags } = parseArgs({
  options: { bets: { type: 'string' }, concurrency: { type: 'string' }, transport: { type: 'string' } },
});
const BETS = positive('bets', flags.bets ?? process.env['BENCH_BETS'], 2_000);
const CONCURRENCY = positive('concurrency', flags.concurrency ?? process.env['BENCH_CONCURRENCY'], 32);
const TRANSPORT = (flags.transport ?? process.env['BENCH_TRANSPORT'] ?? 'http') as Transport;
if (TRANSPORT !== 'http' && TRANSPORT !== 'grpc')
  throw new Error(`--transport must be http or grpc, not ${TRANSPORT}`);
const SETTLE_TIMEOUT_MS = envInt('BENCH_SETTLE_TIMEOUT_S', 180) * 1_000;
const CURRENCY = 'EUR';
/** Enough that no bet of the run can be refused for funds: every refusal printed is the gateway's own. */
const START_CASH = 1_000_000_000;

const runId = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
const tenantId = `bench-${runId}`;
const secret = randomBytes(16).toString('hex');

/**
 * `npm run bench:gateway`: a fixed workload of authorize + settle through the real fleet (the same one
 * `npm run demo` starts), concurrency workers each playing one player's bets back to back. Prints figures; asserts
 * only the money: exit 1 when the wallet ledger is not exactly what the gateway's answers promised.
 */
runWithFleet(
  {
    label: 'bench',
    logDir: '.stack/bench-gateway',
    tenantSecrets: `${tenantId}:${secret}`,
    readyTimeoutMs: envInt('DEMO_READY_TIMEOUT_S', 90) * 1_000,
    stopTimeoutMs: envInt('DEMO_STOP_TIMEOUT_S', 20) * 1_000,
    timeoutMs: envInt('BENCH_TIMEOUT_S', 900) * 1_000,
  },
  bench,
);

interface Tally {
  readonly ledger: ExpectedLedger;
  readonly settled: Accepted[];
  readonly authorizeMs: number[];
  readonly settleMs: number[];
  readonly errors: Map<string, number>;
  started: number;
}

async function bench(fleet: Fleet, aborted: AbortSignal): Promise<number> {
  const config = infrastructureConfig();
  const naming = new TopicNaming(config.topicPrefix);
  const codec = new EventCodec(createSchemaRegistry(config.schemaRegistryUrl), naming);
  // From the run's start: every bet.settled of this run must be seen.
  const watch = await watchTopic(createKafka(config, '-bench'), codec, naming, 'rgs.settlements.v1');
  const target: ClientTarget = { ...fleet, tenantId, secret };
  const client = aggregatorClient(target, TRANSPORT);
  try {
    const admin = sandboxAdmin(fleet.walletAdminUrl);
    const players = Array.from({ length: CONCURRENCY }, (_, index) => `${tenantId}-player-${index + 1}`);
    await Promise.all(
      players.map((playerId) =>
        admin.createAccount({ tenantId, playerId, currency: CURRENCY, cash: START_CASH }),
      ),
    );
    log(`machine: ${machineLine()}`);
    log(
      `tenant ${tenantId}: ${BETS} bets (authorize + settle) over ${TRANSPORT}, concurrency ${CONCURRENCY}`,
    );
    const tally: Tally = {
      ledger: new ExpectedLedger(),
      settled: [],
      authorizeMs: [],
      settleMs: [],
      errors: new Map(),
      started: 0,
    };
    const startedAt = Date.now();
    await Promise.all(players.map((playerId) => playBets(client, playerId, tally, aborted)));
    const trafficMs = Date.now() - startedAt;
    if (aborted.aborted) return 1;
    const outcomes = await awaitOutcomes(watch, tally.settled, [], SETTLE_TIMEOUT_MS);
    const lastSettled = Math.max(
      startedAt,
      ...tally.settled.flatMap(({ betId }) =>
        (watch.byBet.get(betId) ?? []).map((event) => event.receivedAt),
      ),
    );
    const ledger = compareLedger(tally.ledger, (await admin.totals(tenantId)).totals);
    const hop = async (operation: 'debit' | 'credit') => {
      const mean = await meanHandlingMs(fleet.walletAdminUrl, operation).catch(() => undefined);
      return `${operation} ${mean === undefined ? 'n/a' : `${mean.toFixed(1)} ms`}`;
    };

    const rows: Array<[string, string]> = [
      ['bets', `${tally.settled.length} authorized and settled of ${BETS}`],
      [
        'throughput',
        `${rate(tally.settled.length, trafficMs)} bets/s (${(trafficMs / 1_000).toFixed(1)} s of traffic)`,
      ],
      [
        'end to end',
        `${rate(outcomes.credited, lastSettled - startedAt)} bets/s (first request → last bet.settled consumed)`,
      ],
      ['authorize', `${formatLatencies(tally.authorizeMs)} (wallet debit included)`],
      ['settle accept', formatLatencies(tally.settleMs)],
      [
        'wallet hop (mean)',
        `${await hop('debit')}, ${await hop('credit')} (sandbox handling time, its /metrics)`,
      ],
      [
        'settle → bet.settled',
        `${formatLatencies(outcomes.settleLagsMs)} (settle answered → consumed from Kafka)`,
      ],
      [
        'outcomes',
        `credited ${outcomes.credited}, compensated ${outcomes.compensated}, missing ${outcomes.missing.length}, ` +
          `duplicated ${outcomes.duplicated.length}`,
      ],
      ['errors by code', [...tally.errors].map(([code, count]) => `${code} ×${count}`).join(', ') || 'none'],
    ];
    for (const [label, value] of rows) console.log(`${label.padEnd(22)}${value}`);
    console.log('ledger (wallet sandbox totals for the tenant vs the gateway answers, count / minor units):');
    for (const line of ledger.lines) console.log(`  ${line}`);
    console.log(ledger.ok ? 'bench: ledger OK: 0 lost, 0 duplicated' : 'bench: LEDGER CHECK FAILED');
    return ledger.ok ? 0 : 1;
  } finally {
    client.close();
    await watch.stop();
  }
}

/** One worker: its own player and session, bets back to back until the run's budget is used up. */
async function playBets(
  client: AggregatorClient,
  playerId: string,
  tally: Tally,
  aborted: AbortSignal,
): Promise<void> {
  const session = await client.openSession(
    { player_id: playerId, game_id: 'book-of-pitboss', currency: CURRENCY },
    `${playerId}:session`,
  );
  if (!session.ok) return count(tally, 'open-session', session.code);
  while (tally.started < BETS && !aborted.aborted) {
    const bet = ++tally.started;
    const betId = `${playerId}-bet-${bet}`;
    const roundId = `${betId}-round`;
    const stake = { minor_units: randomInt(1, 21) * 50, currency: CURRENCY };
    const authorized = await client.authorize(
      {
        bet_id: betId,
        round_id: roundId,
        session_id: session.body.session_id,
        player_id: playerId,
        game_id: 'book-of-pitboss',
        game_type: 'slot',
        amount: stake,
      },
      `${betId}:authorize`,
    );
    if (!authorized.ok) {
      count(tally, 'authorize', authorized.code);
      continue;
    }
    tally.authorizeMs.push(authorized.latencyMs);
    tally.ledger.add('debit', stake);
    const win = {
      minor_units: randomInt(100) < 45 ? 0 : (stake.minor_units / 10) * randomInt(1, 31),
      currency: CURRENCY,
    };
    const settled = await client.settle({ bet_id: betId, round_id: roundId, win }, `${betId}:settle`);
    if (!settled.ok) {
      count(tally, 'settle', settled.code);
      continue;
    }
    tally.settleMs.push(settled.latencyMs);
    // A loss too: the fleet's settle-worker credits zero wins as 0 (WALLET_ZERO_WIN_CREDIT=true).
    tally.ledger.add('credit', win);
    tally.settled.push({ betId, acceptedAt: Date.now() });
  }
}

function count(tally: Tally, call: string, code: string): void {
  const key = `${call} ${code}`;
  tally.errors.set(key, (tally.errors.get(key) ?? 0) + 1);
}

function rate(count: number, ms: number): string {
  return ms <= 0 ? 'n/a' : (count / (ms / 1_000)).toFixed(1);
}

function positive(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 1)
    throw new Error(`--${name} must be a positive integer, not ${raw}`);
  return value;
}

function log(message: string): void {
  console.log(`bench: ${message}`);
}
