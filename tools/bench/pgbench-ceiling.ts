import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { type Client } from 'pg';

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
