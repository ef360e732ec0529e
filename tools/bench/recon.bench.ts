import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

import { parse } from 'csv-parse';
import { from as copyFrom } from 'pg-copy-streams';

import { eventStoreMigrations, PostgresEventStore } from '@pitboss/event-store';
import { createTestSchema } from '@pitboss/testing';

// eslint-disable-next-line @nx/enforce-module-boundaries -- the bench measures the app's own run code, which no lib exposes
import { reconciliationMigrations } from '../../apps/reconciliation/src/reconciliation-migrations';
// eslint-disable-next-line @nx/enforce-module-boundaries -- the bench measures the app's own run code, which no lib exposes
import { runDailyReconciliation } from '../../apps/reconciliation/src/run/daily-reconciliation';
// eslint-disable-next-line @nx/enforce-module-boundaries -- the bench measures the app's own run code, which no lib exposes
import { reportRowOf } from '../../apps/reconciliation/src/run/wallet-report.source';

// `npm run bench:recon`: a generated day of ROWS wallet report rows (CSV text through csv-parse, as the daily run
// reads the wallet's report) matched against a mirror of the same day in Postgres. Prints rows/s of the match and
// the process's peak RSS; a few discrepancies are planted (and counted) so the run does real work on each class.
const ROWS = Number(process.env['RECON_BENCH_ROWS'] ?? 1_000_000);
const TENANT = 'bench';
const DATE = '2026-03-10';
const DAY = Date.parse(`${DATE}T00:00:00.000Z`);
const PLANTED = 10;

const keyOf = (i: number) => `bet:${TENANT}:b${String(i).padStart(8, '0')}:debit`;
const timeOf = (i: number) => new Date(DAY + Math.floor((i / ROWS) * 86_000_000)).toISOString();

async function main(): Promise<void> {
  const db = await createTestSchema([...eventStoreMigrations, ...reconciliationMigrations], 'reconbench');
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
  try {
    const seedStart = Date.now();
    const client = await db.pool.connect();
    try {
      // The mirror: every row expected but the last PLANTED (those become unexpected_in_wallet).
      await pipeline(
        Readable.from(
          (function* () {
            for (let i = 0; i < ROWS - PLANTED; i += 1)
              yield `${TENANT}\t${keyOf(i)}\tp${i % 5000}\tdebit\t100\tEUR\t${timeOf(i)}\tb${i}\t00000000-0000-4000-8000-000000000000\twallet\tgame-${i % 40}\n`;
          })(),
        ),
        client.query(
          copyFrom(`COPY expected_movements (tenant_id, transaction_key, player_id, kind, amount_minor_units,
            currency, occurred_at, subject_id, source_event_id, ledger, game_id) FROM STDIN`),
        ),
      );
      await client.query('ANALYZE expected_movements');
    } finally {
      client.release();
    }
    console.log(
      `recon bench: mirror of ${ROWS - PLANTED} movements seeded in ${(Date.now() - seedStart) / 1000} s`,
    );

    // The wallet report: rows 0..PLANTED-1 dropped (missing_in_wallet), the rest as expected, plus PLANTED
    // unknown keys (the last ones) — CSV text parsed by csv-parse.
    const csv = Readable.from(
      (function* () {
        yield 'transaction_id,kind,amount_minor_units,currency,player_id,booked_at\r\n';
        for (let i = PLANTED; i < ROWS; i += 1)
          yield `${keyOf(i)},debit,100,EUR,p${i % 5000},${timeOf(i)}\r\n`;
      })(),
    );
    const rows = async function* () {
      let line = 1;
      for await (const record of csv.pipe(parse({ columns: true })) as AsyncIterable<Record<string, string>>)
        yield reportRowOf(record, (line += 1));
    };
    const start = process.hrtime.bigint();
    const result = await runDailyReconciliation(
      {
        pool: db.pool,
        eventStore: new PostgresEventStore({ region: 'local' }),
        reportRows: rows,
        threshold: 0.001,
        batchRows: Number(process.env['RECON_BATCH_ROWS'] ?? 1000),
      },
      { tenantId: TENANT, date: DATE },
    );
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    console.log(
      JSON.stringify({
        wallet_rows: result.walletRows,
        expected_movements: result.expectedMovements,
        discrepancies: result.outcome.classCounts,
        seconds: Number(seconds.toFixed(1)),
        rows_per_second: Math.round(result.walletRows / seconds),
        peak_rss_mib: Math.round(peakRss / 2 ** 20),
      }),
    );
  } finally {
    clearInterval(sampler);
    await db.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
