import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';

import { Client } from 'pg';

import { eventStoreMigrations } from '@pitboss/event-store';
import { EventPublisher } from '@pitboss/messaging';
import { envInt, infrastructureConfig } from '@pitboss/platform-config';
import { TOPICS } from '@pitboss/contracts';
import {
  collectEvents,
  createTestSchema,
  provisionTestTopics,
  startRelayProcess,
  startServiceProcess,
  startWalletSandbox,
} from '@pitboss/testing';

// eslint-disable-next-line @nx/enforce-module-boundaries -- the bench migrates the app's own schema, which no lib exposes
import { bonusGrantMigrations } from '../../apps/bonus-grant/src/bonus-grant-migrations';
import { buildApp, machineLine } from './bench-support';
import { corePercent, costTableJson } from './cost-figures';
import { commitFigures, fleetCostOf, TOTAL_FLEET, TOTAL_SERVER } from './fleet-cost';
import { collectGrantResults } from './grants-results';
import {
  offerBodies,
  publishContributionSchema,
  publishOffer,
  registerPlayers,
  tokenSource,
} from './grants-setup';
import { perform, runTraffic, TrafficTally } from './grants-traffic';
import { buildWorkload, type WorkloadSettings } from './grants-workload';
import { reportCeiling } from './pgbench-ceiling';
import { listenerPid } from './watched-processes';

const WORKLOAD: WorkloadSettings = {
  players: envInt('BENCH_PLAYERS', 100),
  deposits: envInt('BENCH_DEPOSITS', 200),
  redeliveries: envInt('BENCH_REDELIVERIES', 40),
  apiGrants: envInt('BENCH_API_GRANTS', 200),
  apiRepeats: envInt('BENCH_API_REPEATS', 40),
  budgetSharePct: envInt('BENCH_BUDGET_SHARE_PCT', 25),
  seed: envInt('BENCH_SEED', 1),
};
const RATE = envInt('BENCH_RATE', 10);
const CONCURRENCY = envInt('BENCH_CONCURRENCY', 16);
const BUDGET_MINOR = envInt('BENCH_BUDGET_MINOR', 60_000);
const MAX_GRANTS = envInt('BENCH_MAX_GRANTS', 60);
const SETTLE_TIMEOUT_MS = envInt('BENCH_SETTLE_TIMEOUT_S', 180) * 1_000;
const TIMEOUT_MS = envInt('BENCH_TIMEOUT_S', 900) * 1_000;

const json = (figure: string, fields: Record<string, unknown>) =>
  console.log(JSON.stringify({ figure, ...fields }));
const log = (message: string) => console.error(`bench: ${message}`);

let aborted = false;

const countBy = (values: readonly string[]) =>
  values.reduce<Record<string, number>>(
    (counts, value) => ({ ...counts, [value]: (counts[value] ?? 0) + 1 }),
    {},
  );

/**
 * `npm run bench:grants`: a fixed, seeded workload of mixed triggers against the built bonus-grant as a process
 * (fresh schema and topics, its relay, the wallet sandbox, Keycloak tokens): deposits on payments.deposits.v1
 * (some redelivered), API grants (some keys repeated), an offer whose budget runs out. Prints JSON lines on stdout
 * (progress and the cost table on stderr); asserts only the money: exit 1 when the ledger check fails, 2 aborted.
 */
async function main(): Promise<number> {
  const { databaseUrl } = infrastructureConfig();
  json('machine', { machine: machineLine() });
  buildApp('bonus-grant');
  buildApp('outbox-relay');
  const admin = new Client({ connectionString: databaseUrl });
  await admin.connect();
  const ceiling = await reportCeiling(admin, databaseUrl, log);
  json(
    'ceiling',
    ceiling.ok
      ? { commits_per_s: Math.round(ceiling.commitsPerSecond), run: ceiling.line }
      : { na: ceiling.why },
  );

  const runId = `bg${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  const [db, topics, sandbox] = await Promise.all([
    createTestSchema([...eventStoreMigrations, ...bonusGrantMigrations], 'bench_grants'),
    provisionTestTopics('bench-grants', 6),
    startWalletSandbox(),
  ]);
  const publisher = new EventPublisher(topics.kafka, topics.codec, topics.naming);
  const relay = startRelayProcess([db.schema], topics.env);
  let service: Awaited<ReturnType<typeof startServiceProcess>> | undefined;
  let stopCollector = async () => undefined as void;
  try {
    await publisher.connect();
    service = await startServiceProcess('bonus-grant', {
      env: {
        ...topics.env,
        DATABASE_SCHEMA: db.schema,
        DATABASE_MIGRATE_ON_START: 'false',
        WALLET_URL: sandbox.url,
      },
      waitForLines: ['grant timer loop started', '(group bonus-grant-grants)', '(group bonus-grant-facts)'],
      startTimeoutMs: 180_000,
    });
    const token = tokenSource();
    const schemaId = `${runId}-casino`;
    await publishContributionSchema(topics, db.pool, schemaId);
    const bodies = offerBodies(schemaId, BUDGET_MINOR, MAX_GRANTS);
    const offers = {
      deposit: await publishOffer(service.url, token, bodies.deposit),
      budget: await publishOffer(service.url, token, bodies.budget),
      api: await publishOffer(service.url, token, bodies.api),
    };
    const playerIds = Array.from({ length: WORKLOAD.players }, (_, i) => `${runId}-p${i}`);
    await registerPlayers(publisher, sandbox, db.pool, playerIds);
    const actions = buildWorkload(WORKLOAD);
    json('workload', {
      ...WORKLOAD,
      actions: actions.length,
      rate_per_s: RATE,
      concurrency: CONCURRENCY,
      budget_minor: BUDGET_MINOR,
      max_grants: MAX_GRANTS,
      offers,
    });

    const sandboxPid = listenerPid(Number(new URL(sandbox.url).port));
    const cost = fleetCostOf(
      [
        { name: 'bonus-grant', pid: service.child.pid },
        { name: 'outbox-relay', pid: relay.child.pid },
        { name: 'wallet-sandbox', pid: sandboxPid },
      ],
      admin,
      databaseUrl,
    );
    const collector = await collectEvents(topics, [TOPICS.promoGrants.name]);
    stopCollector = () => collector.stop();
    const tally = new TrafficTally();
    const target = { url: service.url, publisher, token, runId, playerIds, offers };
    const before = await cost.sample();
    const startedAt = Date.now();
    await runTraffic(
      actions,
      { rate: RATE, concurrency: CONCURRENCY, aborted: () => aborted },
      (action) => perform(target, action, tally),
      tally,
    );
    const trafficMs = Date.now() - startedAt;
    const results = await collectGrantResults({
      db: db.pool,
      sandbox,
      collector,
      tally,
      offers,
      budget: { budgetMinor: BUDGET_MINOR, maxGrants: MAX_GRANTS },
      settleTimeoutMs: SETTLE_TIMEOUT_MS,
      aborted: () => aborted,
      whenSettled: () => cost.sample(),
    });
    const after = results.settledSample;
    if (aborted) return 2;

    const grants = results.check.credited;
    const lastCredit = Math.max(
      startedAt,
      ...results.times.flatMap((t) => (t.creditedAt === undefined ? [] : [t.creditedAt])),
    );
    const commits = commitFigures(before, after, grants);
    json('traffic', {
      actions: actions.length,
      seconds: Number((trafficMs / 1_000).toFixed(1)),
      deposit_events_published: tally.published,
      api_answers: tally.answers.length,
      api_answers_by_status: countBy(tally.answers.map((answer) => String(answer.status))),
      errors_by_code: Object.fromEntries(tally.errors),
    });
    json('grants', {
      credited: grants,
      by_offer: results.byOffer,
      grants_per_s: Number((grants / ((lastCredit - startedAt) / 1_000)).toFixed(1)),
      window: 'first action sent → last credit recorded',
      seconds: Number(((lastCredit - startedAt) / 1_000).toFixed(1)),
    });
    json('latency', {
      ...results.latencies,
      measured:
        "request sent (API) or deposit first published → the grant stream's bonus.issued (recorded after the wallet credited); issued → credited: grant.issued → bonus.issued in the stream",
    });
    json('commits', {
      per_grant: commits.perBet === undefined ? null : Number(commits.perBet.toFixed(1)),
      line: commits.line,
    });
    const window = { ms: after.at - before.at, bets: grants, ticksPerSecond: cost.ticksPerSecond };
    for (const row of costTableJson(cost.rows(before, after), [TOTAL_SERVER, TOTAL_FLEET], window)) {
      const { cpu_ms_per_unit, ...rest } = row;
      json('cpu', {
        ...rest,
        cpu_ms_per_grant: cpu_ms_per_unit,
        window_s: Number((window.ms / 1_000).toFixed(1)),
      });
    }
    if (before.machine !== undefined && after.machine !== undefined) {
      const busy = after.machine.busy - before.machine.busy;
      const ours = cost
        .rows(before, after)
        .reduce((sum, row) => sum + (row.delta.ok ? row.delta.ticks : 0), 0);
      json('machine_busy', {
        busy_core_pct: Math.round(corePercent(busy, window) ?? 0),
        rows_core_pct: Math.round(corePercent(ours, window) ?? 0),
        others_core_pct: Math.round(corePercent(Math.max(0, busy - ours), window) ?? 0),
        load_average_1m: Number(loadavg()[0]!.toFixed(1)),
        note: '/proc/stat busy time of all cores over the cost window; others = not in the rows (other suites, the kernel)',
      });
    }
    console.error(
      `CPU per process (first action → all grants settled, ${(window.ms / 1_000).toFixed(1)} s, ${grants} grants; "CPU ms/bet" = per grant):`,
    );
    for (const line of cost.report(before, after, grants)) console.error(line);
    json('kafka', results.kafka);
    json('ledger', {
      ok: results.check.ok,
      lost: results.check.lost.length,
      duplicated: results.check.duplicated.length,
      over_budget: results.check.overBudget.length,
      budget: {
        ...results.check.budget,
        refused_api: results.budgetRefusals,
        refused_deposit_events: service.output.filter((line) =>
          line.includes(`no grant of offer ${offers.budget} (OFFER_BUDGET_EXHAUSTED`),
        ).length,
      },
      problems: [...results.check.lost, ...results.check.duplicated, ...results.check.overBudget].slice(
        0,
        20,
      ),
    });
    return results.check.ok ? 0 : 1;
  } finally {
    await stopCollector().catch(() => undefined);
    await service?.kill('SIGTERM').catch(() => undefined);
    await relay.kill('SIGTERM').catch(() => undefined);
    await publisher.disconnect().catch(() => undefined);
    await sandbox.stop().catch(() => undefined);
    await topics.cleanup().catch(() => undefined);
    await db.drop().catch(() => undefined);
    await admin.end().catch(() => undefined);
  }
}

process.once('SIGINT', () => {
  log('interrupted: stopping and cleaning up');
  aborted = true;
});
const deadline = setTimeout(() => {
  log(`BENCH_TIMEOUT_S reached: stopping and cleaning up`);
  aborted = true;
}, TIMEOUT_MS);
main()
  .then((code) => {
    process.exitCode = code;
  })
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => clearTimeout(deadline));
