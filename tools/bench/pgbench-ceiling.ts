import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { type Client } from 'pg';

/** 16 clients, 2 threads, `BENCH_PGBENCH_S` seconds (10; 0 skips the measurement). */
export function pgbenchSettings(env: NodeJS.ProcessEnv = process.env): PgbenchSettings {
  const raw = env['BENCH_PGBENCH_S'];
  const seconds = raw === undefined || raw === '' ? 10 : Number(raw);
  if (!Number.isSafeInteger(seconds) || seconds < 0)
    throw new Error(`BENCH_PGBENCH_S must be a whole number of seconds ≥ 0, not ${raw}`);
  return { seconds, clients: 16, jobs: 2 };
}

export interface PgbenchSettings {
  readonly seconds: number;
  readonly clients: number;
  readonly jobs: number;
}

/** `tps = 6612.3 (without initial connection time)` in pgbench's report → commits per second. */
export function parsePgbenchTps(output: string): number | undefined {
  const match = /^tps = ([\d.]+) \(without initial connection time\)/m.exec(output);
  return match ? Number(match[1]) : undefined;
}

/** The arguments of the run: no vacuum (-n), our one-INSERT script, the same database the fleet uses. */
export function pgbenchArgs(script: string, settings: PgbenchSettings, databaseUrl: string): string[] {
  return [
    '-n',
    '-f',
    script,
    '-c',
    String(settings.clients),
    '-j',
    String(settings.jobs),
    '-T',
    String(settings.seconds),
    databaseUrl,
  ];
}

export type Ceiling =
  | { readonly ok: true; readonly commitsPerSecond: number; readonly line: string }
  | { readonly ok: false; readonly why: string };

/**
 * The box's commit ceiling, measured now: pgbench with one INSERT per transaction into a scratch table, in a
 * scratch schema that is created here and dropped afterwards, against the fleet's own Postgres and database.
 */
export async function measureCeiling(
  db: Client,
  databaseUrl: string,
  settings: PgbenchSettings,
): Promise<Ceiling> {
  const schema = `bench_pgbench_${randomBytes(4).toString('hex')}`;
  const dir = mkdtempSync(join(tmpdir(), 'bench-pgbench-'));
  const script = join(dir, 'insert.sql');
  writeFileSync(script, `INSERT INTO ${schema}.rows (payload) VALUES ('pgbench');\n`);
  await db.query(
    `CREATE SCHEMA ${schema};
     CREATE TABLE ${schema}.rows (id bigserial PRIMARY KEY, payload text NOT NULL, at timestamptz NOT NULL DEFAULT now())`,
  );
  try {
    const { code, output } = await run('pgbench', pgbenchArgs(script, settings, databaseUrl));
    const tps = parsePgbenchTps(output);
    if (code !== 0 || tps === undefined)
      return { ok: false, why: `pgbench exit ${code}: ${output.trim().split('\n').slice(-3).join(' / ')}` };
    const processed = /number of transactions actually processed: (\d+)/.exec(output)?.[1] ?? '?';
    return { ok: true, commitsPerSecond: tps, line: `${processed} transactions in ${settings.seconds} s` };
  } finally {
    await db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

function run(command: string, args: string[]): Promise<{ code: number | string; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.once('error', (error) => resolve({ code: error.message, output: '' }));
    child.once('close', (code, signal) =>
      resolve({ code: code ?? signal ?? 'killed', output: Buffer.concat(chunks).toString('utf8') }),
    );
  });
}

/** Measures the ceiling (unless BENCH_PGBENCH_S=0) and logs it in one line: what was run and what it gave. */
export async function reportCeiling(
  db: Client,
  databaseUrl: string,
  log: (message: string) => void,
): Promise<Ceiling> {
  const settings = pgbenchSettings();
  if (settings.seconds === 0) {
    log('ceiling: skipped (BENCH_PGBENCH_S=0)');
    return { ok: false, why: 'skipped (BENCH_PGBENCH_S=0)' };
  }
  const ceiling = await measureCeiling(db, databaseUrl, settings).catch((error: unknown): Ceiling => ({
    ok: false,
    why: String(error),
  }));
  const what =
    `pgbench -n, one INSERT per transaction into a scratch table, ${settings.clients} clients, ` +
    `${settings.jobs} threads, ${settings.seconds} s, same Postgres, database "${db.database ?? '?'}"`;
  log(
    `ceiling: ${ceiling.ok ? `${ceiling.commitsPerSecond.toFixed(0)} commits/s (${ceiling.line})` : `n/a (${ceiling.why})`}; ${what}`,
  );
  return ceiling;
}
