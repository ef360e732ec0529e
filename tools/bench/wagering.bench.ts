import { randomUUID } from 'node:crypto';

import { Client } from 'pg';

import { type EventEnvelope, messageKeyOf, TOPICS } from '@pitboss/contracts';
import { eventStoreMigrations } from '@pitboss/event-store';
import { EventPublisher } from '@pitboss/messaging';
import { envInt, infrastructureConfig } from '@pitboss/platform-config';
import {
  createTestSchema,
  expectEventually,
  provisionTestTopics,
  startServiceProcess,
} from '@pitboss/testing';

import { formatLatencies } from '../demo/latency-stats';
import { machineLine } from './bench-support';
import { commitFigures, fleetCostOf } from './fleet-cost';
import { reportCeiling } from './pgbench-ceiling';

const GRANTS = envInt('BENCH_GRANTS', 500);
const BETS = envInt('BENCH_BETS', 10_000);
const PACED_RATE = envInt('BENCH_PACED_PER_S', 50);
const PACED_SECONDS = envInt('BENCH_PACED_S', 20);
const TENANT = 'bench-wagering';
const EUR = (minor_units: number) => ({ minor_units, currency: 'EUR' });

/**
 * `npm run bench:wagering`: wagering-progress as a real process on a fresh schema and fresh topics; GRANTS active
 * grants (one player each), then (1) BETS settled bets against them published at once → progress updates/s, and
 * (2) a paced phase (PACED_RATE/s for PACED_SECONDS) → bet.settled occurred_at to its receipt recorded, p50/p95/p99
 * (target p95 ≤ 200 ms). Prints the box's pgbench ceiling first, and for the bulk phase the CPU per counted bet of
 * every process (wagering-progress, Kafka, registry, Redis, Postgres) and the Postgres commits per counted bet.
 * Asserts nothing about speed; exits 1 when a bet was not counted.
 */
async function main(): Promise<void> {
  console.log(`machine: ${machineLine()}`);
  const { databaseUrl } = infrastructureConfig();
  const stats = new Client({ connectionString: databaseUrl });
  await stats.connect();
  await reportCeiling(stats, databaseUrl, (line) => console.log(line));
  const [db, topics] = await Promise.all([
    createTestSchema(eventStoreMigrations, 'bench_wagering'),
    provisionTestTopics('bench-wagering', 6),
  ]);
  const publisher = new EventPublisher(topics.kafka, topics.codec, topics.naming);
  await publisher.connect();
  const service = await startServiceProcess('wagering-progress', {
    env: { ...topics.env, DATABASE_SCHEMA: db.schema },
    waitForLines: ['consuming rgs.settlements.v1 and promo.grants.v1'],
  });
  const cost = fleetCostOf([{ name: 'wagering-progress', pid: service.child.pid }], stats, databaseUrl);
  const publish = (topic: string, type: string, playerId: string, payload: Record<string, unknown>) => {
    const envelope: EventEnvelope = {
      event_id: randomUUID(),
      event_type: type,
      event_version: 1,
      occurred_at: Date.now(),
      tenant_id: TENANT,
      region: 'local',
      player_id: playerId,
      session_id: null,
      round_id: null,
      trace_id: null,
      causation_id: null,
      idempotency_key: null,
      payload,
    };
    return { topic, key: messageKeyOf(envelope), envelope, headers: {} };
  };
  const player = (grant: number) => `player-${grant}`;
  const settled = (bet: string, grant: number) =>
    publish(TOPICS.settlements.name, 'bet.settled', player(grant), {
      bet_id: bet,
      win: EUR(0),
      wallet_transaction_id: null,
      stake: EUR(100),
      game_id: 'starburst',
      game_type: 'slot',
      provider: 'netent',
      bonus_grant_id: `grant-${grant}`,
      entitlement_id: null,
      funded_by: 'bonus',
      math_version: null,
    });
  const count = async (table: string) =>
    Number((await db.pool.query(`SELECT count(*) AS n FROM ${table}`)).rows[0].n);
  const reach = async (table: string, expected: number) => {
    const n = await count(table);
    if (n < expected) throw new Error(`${table}: ${n} of ${expected}`);
  };
  try {
    const grants = Array.from({ length: GRANTS }, (_, grant) =>
      publish(TOPICS.promoGrants.name, 'bonus.issued', player(grant), {
        grant_id: `grant-${grant}`,
        offer_id: 'bench',
        amount: EUR(10_000),
        wagering_required: EUR(1_000_000_000),
        wagering_base: 'bonus',
      }),
    );
    for (let i = 0; i < grants.length; i += 500) await publisher.publish(grants.slice(i, i + 500));
    await expectEventually(() => reach('wagering_grants', GRANTS), {
      timeoutMs: 300_000,
    });

    const before = await cost.sample();
    const started = Date.now();
    const batch = Array.from({ length: BETS }, (_, bet) => settled(`bulk-${bet}`, bet % GRANTS));
    for (let i = 0; i < batch.length; i += 500) await publisher.publish(batch.slice(i, i + 500));
    await expectEventually(() => reach('wagering_contributions', BETS), {
      timeoutMs: 900_000,
      intervalMs: 250,
    });
    const bulkSeconds = (Date.now() - started) / 1_000;
    const after = await cost.sample();

    for (let second = 0; second < PACED_SECONDS; second++) {
      const tick = Date.now();
      for (let n = 0; n < PACED_RATE; n++) {
        await publisher.publish([settled(`paced-${second}-${n}`, (second * PACED_RATE + n) % GRANTS)]);
        const due = tick + ((n + 1) * 1_000) / PACED_RATE;
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - Date.now())));
      }
    }
    const total = BETS + PACED_RATE * PACED_SECONDS;
    await expectEventually(() => reach('wagering_contributions', total), {
      timeoutMs: 300_000,
    });
    const { rows } = await db.pool.query<{ ms: number }>(
      `SELECT extract(epoch FROM recorded_at - bet_at) * 1000 AS ms FROM wagering_contributions
       WHERE bet_id LIKE 'paced-%'`,
    );
    const contributed = await db.pool.query(
      'SELECT sum(contributed_minor)::bigint AS total FROM wagering_grants',
    );
    const exact = Number(contributed.rows[0].total) === total * 100;
    console.log(
      `grants: ${GRANTS} active; bets: ${BETS} at once, then ${PACED_RATE}/s for ${PACED_SECONDS} s`,
    );
    console.log(
      `progress updates: ${(BETS / bulkSeconds).toFixed(0)}/s (${BETS} settled bets counted in ${bulkSeconds.toFixed(1)} s)`,
    );
    console.log(`CPU per process over the bulk phase (per counted bet; /proc/<pid>/stat utime + stime):`);
    for (const line of cost.report(before, after, BETS)) console.log(line);
    const commits = commitFigures(before, after, BETS);
    console.log(
      `postgres commits per counted bet (bulk phase): ${commits.perBet?.toFixed(2) ?? 'n/a'}; ${commits.line}`,
    );
    console.log(
      `bet.settled occurred_at → progress recorded (paced): ${formatLatencies(
        rows.map((row) => Number(row.ms)),
        [50, 95, 99],
        true,
      )}`,
    );
    console.log(`contributions exact: ${exact ? 'yes' : 'NO'} (every bet counted once at 100 %)`);
    if (!exact) process.exitCode = 1;
  } finally {
    await service.kill('SIGTERM');
    await publisher.disconnect();
    await stats.end();
    await topics.cleanup();
    await db.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
