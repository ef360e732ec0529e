import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';

import { Client } from 'pg';

import { createKafka, createSchemaRegistry, EventCodec, TopicNaming } from '@pitboss/messaging';
import { envInt, infrastructureConfig } from '@pitboss/platform-config';

import { aggregatorClient, type ClientTarget, type Transport } from '../demo/aggregator-client';
import { type Fleet } from '../demo/fleet';
import { runWithFleet } from '../demo/fleet-run';
import { formatLatencies } from '../demo/latency-stats';
import { compareLedger, ExpectedLedger } from '../demo/ledger-check';
import { meanHandlingMs, sandboxAdmin } from '../demo/sandbox-admin';
import { awaitOutcomes } from '../demo/settlement-outcomes';
import { type TopicWatch, watchTopic } from '../demo/topic-watch';
import { machineLine } from './bench-support';
import { ceilingShare, cpuMsPerBet, fixed, totalTicks } from './cost-figures';
import {
  commitFigures,
  type CostSample,
  type FleetCost,
  fleetCostOf,
  TOTAL_FLEET,
  TOTAL_SERVER,
} from './fleet-cost';
import {
  CURRENCY,
  errorsLine,
  expectRefusedBets,
  newTally,
  openSession,
  playBets,
  type Tally,
} from './gateway-traffic';
import { type Ceiling, reportCeiling } from './pgbench-ceiling';
import { productionSampler } from './production-sampler';
import { readRelayReads, relayReadsLine } from './relay-reads';

const { values: flags } = parseArgs({
  options: {
    bets: { type: 'string' },
    duration: { type: 'string' },
    idle: { type: 'string' },
    warmup: { type: 'string' },
    concurrency: { type: 'string' },
    transport: { type: 'string' },
    'no-telemetry': { type: 'boolean' },
  },
});
// `--no-telemetry`: the fleet runs without the OpenTelemetry SDK (no spans, no instrumentation), for the overhead
// figure in docs/performance.md; the fleet's processes inherit the switch. Prometheus metrics stay on either way.
const TELEMETRY = !(flags['no-telemetry'] ?? false) && process.env['OTEL_SDK_DISABLED'] !== 'true';
if (!TELEMETRY) process.env['OTEL_SDK_DISABLED'] = 'true';
// Traces are sampled as in production (5 %, from the charts) unless OTEL_TRACES_SAMPLER says otherwise: a local
// run's every trace (`OTEL_TRACES_SAMPLER=parentbased_always_on`) costs about a fifth more CPU per bet.
if (TELEMETRY && !process.env['OTEL_TRACES_SAMPLER']) Object.assign(process.env, productionSampler());
const betsRaw = flags.bets ?? process.env['BENCH_BETS'];
const durationRaw = flags.duration ?? process.env['BENCH_DURATION_S'];
/** `--bets` alone: that many bets, however long they take; otherwise `--duration` seconds, `--bets` as a cap. */
const BETS = betsRaw === undefined || betsRaw === '' ? undefined : positive('bets', betsRaw, 0);
const DURATION_S =
  BETS !== undefined && (durationRaw === undefined || durationRaw === '')
    ? undefined
    : positive('duration', durationRaw, 30);
const IDLE_S = nonNegative('idle', flags.idle ?? process.env['BENCH_IDLE_S'], 10);
/**
 * Traffic before the measured window, left out of its figures. The fleet's processes start with the run, and
 * Kafka's JVM had been warmed only by earlier runs: on 2026-12-07 a window after 10 s of warm-up cost a third less
 * CPU per bet than those 10 s, one after 30 s as little as one after 60 s (docs/performance.md).
 */
const WARMUP_S = nonNegative('warmup', flags.warmup ?? process.env['BENCH_WARMUP_S'], 30);
const CONCURRENCY = positive('concurrency', flags.concurrency ?? process.env['BENCH_CONCURRENCY'], 32);
const TRANSPORT = (flags.transport ?? process.env['BENCH_TRANSPORT'] ?? 'http') as Transport;
if (TRANSPORT !== 'http' && TRANSPORT !== 'grpc')
  throw new Error(`--transport must be http or grpc, not ${TRANSPORT}`);
const SETTLE_TIMEOUT_MS = envInt('BENCH_SETTLE_TIMEOUT_S', 180) * 1_000;
// An uncertain debit is recorded with its rollback requested (settle-worker rolls it back by key), or, if the
// gateway died mid-debit, by its pending-debit recovery after DEBIT_RECOVERY_AFTER_MS (60 s by default).
const REFUSED_SETTLE_TIMEOUT_MS = envInt('BENCH_REFUSED_SETTLE_TIMEOUT_S', 90) * 1_000;
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
    beforeFleet: measureTheBox,
  },
  bench,
);

async function bench(fleet: Fleet, aborted: AbortSignal): Promise<number> {
  const config = infrastructureConfig();
  const naming = new TopicNaming(config.topicPrefix);
  const codec = new EventCodec(createSchemaRegistry(config.schemaRegistryUrl), naming);
  // From the run's start: every bet.settled of this run must be seen.
  const watch = await watchTopic(createKafka(config, '-bench'), codec, naming, 'rgs.settlements.v1');
  const target: ClientTarget = { ...fleet, tenantId, secret };
  const client = aggregatorClient(target, TRANSPORT);
  const db = new Client({ connectionString: config.databaseUrl });
  await db.connect();
  try {
    const admin = sandboxAdmin(fleet.walletAdminUrl);
    const players = Array.from({ length: CONCURRENCY }, (_, index) => `${tenantId}-player-${index + 1}`);
    await Promise.all(
      players.map((playerId) =>
        admin.createAccount({ tenantId, playerId, currency: CURRENCY, cash: START_CASH }),
      ),
    );
    const cost = fleetCostOf(fleet.processes, db, config.databaseUrl);
    if (IDLE_S > 0) await idlePhase(cost, aborted);
    if (aborted.aborted) return 1;

    // Every phase's bets are in the wallet's totals for the tenant: one expectation for all of them.
    const shared = { ledger: new ExpectedLedger(), refused: [] as string[] };
    const tally = newTally('bet', shared, BETS);
    // Sessions first, so the measured window holds bets only.
    const sessions = await Promise.all(players.map((playerId) => openSession(client, playerId, tally)));
    const traffic = (phase: Tally) =>
      Promise.all(
        players.map((playerId, index) => playBets(client, playerId, sessions[index], phase, aborted)),
      );
    if (WARMUP_S > 0) await warmUp(newTally('warm', shared, undefined), traffic, cost, watch);
    if (aborted.aborted) return 1;
    const budget =
      DURATION_S === undefined
        ? `${BETS} bets`
        : `${DURATION_S} s of traffic${BETS === undefined ? '' : ` (at most ${BETS} bets)`}`;
    log(`tenant ${tenantId}: ${budget} (authorize + settle) over ${TRANSPORT}, concurrency ${CONCURRENCY}`);
    const before = await cost.sample();
    const relayBefore = await readRelayReads(fleet.relayUrl);
    const startedAt = Date.now();
    if (DURATION_S !== undefined) tally.deadline = startedAt + DURATION_S * 1_000;
    await traffic(tally);
    const trafficMs = Date.now() - startedAt;
    const afterTraffic = await cost.sample();
    const relayAfter = await readRelayReads(fleet.relayUrl);
    if (aborted.aborted) return 1;
    const outcomes = await awaitOutcomes(watch, tally.settled, [], SETTLE_TIMEOUT_MS);
    const afterLifecycle = await cost.sample();
    const lastSettled = Math.max(
      startedAt,
      ...tally.settled.flatMap(({ betId }) =>
        (watch.byBet.get(betId) ?? []).map((event) => event.receivedAt),
      ),
    );
    const stranded = await expectRefusedBets(admin, tenantId, shared, REFUSED_SETTLE_TIMEOUT_MS);
    const comparison = compareLedger(tally.ledger, (await admin.totals(tenantId)).totals);
    const ledger = {
      ok: comparison.ok && stranded.length === 0,
      lines: [...comparison.lines, ...stranded.map((line) => `refused but moved: ${line}`)],
    };
    const hop = async (operation: 'debit' | 'credit') => {
      const mean = await meanHandlingMs(fleet.walletAdminUrl, operation).catch(() => undefined);
      return `${operation} ${mean === undefined ? 'n/a' : `${mean.toFixed(1)} ms`}`;
    };

    const bets = tally.settled.length;
    const commits = commitFigures(before, afterTraffic, bets);
    const betsPerSecond = trafficMs > 0 ? bets / (trafficMs / 1_000) : 0;
    const share = ceilingShare(
      betsPerSecond,
      commits.perBet,
      ceiling.ok ? ceiling.commitsPerSecond : undefined,
    );
    const rows: Array<[string, string]> = [
      ['bets', `${bets} authorized and settled${BETS === undefined ? '' : ` of ${BETS}`}`],
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
      ['errors by code', errorsLine(tally)],
      ['commits per bet', `${fixed(commits.perBet, 1)} over the traffic window: ${commits.line}`],
      ['  of which', relayReadsLine(relayBefore, relayAfter, bets)],
      [
        'of the ceiling',
        share === undefined
          ? `n/a (${ceiling.ok ? 'no commits per bet' : `no pgbench figure: ${ceiling.why}`})`
          : `${share.toFixed(3)} = ${betsPerSecond.toFixed(1)} bets/s × ${fixed(commits.perBet, 1)} commits per bet ` +
            `÷ ${ceiling.ok ? ceiling.commitsPerSecond.toFixed(0) : '?'} pgbench commits/s`,
      ],
    ];
    for (const [label, value] of rows) console.log(`${label.padEnd(22)}${value}`);
    console.log(
      `CPU per process over the traffic window (${(trafficMs / 1_000).toFixed(1)} s, ${bets} bets; /proc/<pid>/stat ` +
        `utime + stime, peak RSS = VmHWM since the process started):`,
    );
    for (const line of cost.report(before, afterTraffic, bets)) console.log(line);
    console.log(lifecycleLine(cost, before, afterLifecycle, bets));
    console.log('ledger (wallet sandbox totals for the tenant vs the gateway answers, count / minor units):');
    for (const line of ledger.lines) console.log(`  ${line}`);
    console.log(ledger.ok ? 'bench: ledger OK: 0 lost, 0 duplicated' : 'bench: LEDGER CHECK FAILED');
    return ledger.ok ? 0 : 1;
  } finally {
    client.close();
    await db.end().catch(() => undefined);
    await watch.stop();
  }
}

/** Measured with the stack up and before the fleet starts, so the fleet's own idle load is not in the ceiling. */
let ceiling: Ceiling = { ok: false, why: 'not measured' };

async function measureTheBox(): Promise<void> {
  log(`machine: ${machineLine()}`);
  log(
    `telemetry: ${TELEMETRY ? `tracing on (${process.env['OTEL_TRACES_EXPORTER'] ?? 'zipkin'} exporter, sampler ${samplerOf(process.env)}, instrumentations off: ${process.env['OTEL_NODE_DISABLED_INSTRUMENTATIONS'] || 'none'})` : 'tracing off (--no-telemetry)'}`,
  );
  const { databaseUrl } = infrastructureConfig();
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    ceiling = await reportCeiling(db, databaseUrl, log);
  } finally {
    await db.end();
  }
}

/** The fleet up and doing nothing: what it costs just to be there (the issue's target: < 3 % of one core in all). */
async function idlePhase(cost: FleetCost, aborted: AbortSignal): Promise<void> {
  log(`idle: ${IDLE_S} s with the fleet up and no traffic`);
  const before = await cost.sample();
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, IDLE_S * 1_000);
    aborted.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });
  const after = await cost.sample();
  console.log(`CPU per process, idle (${((after.at - before.at) / 1_000).toFixed(1)} s without traffic):`);
  for (const line of cost.report(before, after, undefined)) console.log(line);
  console.log(`  postgres transactions while idle: ${commitFigures(before, after, undefined).line}`);
}

/**
 * The warm-up: the same workload for WARMUP_S seconds, with its bets settled and consumed before the measured
 * window starts (so that window begins, like a run without one, with nothing in flight). Its figures are
 * printed, for the comparison with the window's in the same run, and kept out of the window's.
 */
async function warmUp(
  tally: Tally,
  traffic: (tally: Tally) => Promise<unknown>,
  cost: FleetCost,
  watch: TopicWatch,
): Promise<void> {
  log(
    `warm-up: ${WARMUP_S} s of the same traffic, then until its bets are settled; not in the figures below`,
  );
  const before = await cost.sample();
  tally.deadline = before.at + WARMUP_S * 1_000;
  await traffic(tally);
  const after = await cost.sample();
  const outcomes = await awaitOutcomes(watch, tally.settled, [], SETTLE_TIMEOUT_MS);
  const bets = tally.settled.length;
  console.log(
    `warm-up: ${bets} bets authorized and settled, ${rate(bets, after.at - before.at)} bets/s; credited ` +
      `${outcomes.credited}, missing ${outcomes.missing.length}, duplicated ${outcomes.duplicated.length}; ` +
      `errors ${errorsLine(tally)}; commits per bet ${fixed(commitFigures(before, after, bets).perBet, 1)}`,
  );
  console.log(
    `CPU per process over the warm-up's traffic (${((after.at - before.at) / 1_000).toFixed(1)} s):`,
  );
  for (const line of cost.report(before, after, bets)) console.log(line);
}

/** The whole lifecycle: up to the last bet.settled consumed, settle-worker's trailing credits included. */
function lifecycleLine(cost: FleetCost, before: CostSample, after: CostSample, bets: number): string {
  const rows = cost.rows(before, after);
  const window = { ms: after.at - before.at, bets, ticksPerSecond: cost.ticksPerSecond };
  const perBet = (total: string) => {
    const { ticks, missing } = totalTicks(rows, total);
    return `${fixed(cpuMsPerBet(ticks, window), 2)} ms${missing.length > 0 ? ' (n/a rows left out)' : ''}`;
  };
  return (
    `lifecycle window (first request → last bet.settled consumed, ${(window.ms / 1_000).toFixed(1)} s): ` +
    `commits per bet ${fixed(commitFigures(before, after, bets).perBet, 1)}; CPU per bet ${perBet(TOTAL_SERVER)} ` +
    `(whole Postgres server), ${perBet(TOTAL_FLEET)} (the fleet's backends only)`
  );
}

function rate(count: number, ms: number): string {
  return ms <= 0 ? 'n/a' : (count / (ms / 1_000)).toFixed(1);
}

function nonNegative(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a number ≥ 0, not ${raw}`);
  return value;
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

/** The fleet's trace sampler as the OpenTelemetry SDK reads it from the environment (its default: every trace). */
function samplerOf(env: NodeJS.ProcessEnv): string {
  const sampler = env['OTEL_TRACES_SAMPLER'] ?? 'parentbased_always_on';
  return env['OTEL_TRACES_SAMPLER_ARG'] ? `${sampler} ${env['OTEL_TRACES_SAMPLER_ARG']}` : sampler;
}
