import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { eventStoreMigrations, PostgresEventStore, withTransaction } from '@pitboss/event-store';
import {
  GovernanceTables1733000000000,
  latestCheckpointOf,
  PostgresAuditJournal,
  verifyAuditSchema,
} from '@pitboss/governance';
import {
  createTestSchema,
  expectEventually,
  provisionTestTopics,
  type RelayProcess,
  startRelayProcess,
  type TestSchema,
  type TestTopics,
} from '@pitboss/testing';

const WORKSPACE = join(__dirname, '../..');
const actor = { subject: 'ops-1', clientId: 'brand-a-ops-1', tenantId: 'brand-a' };

/**
 * `npm run audit:verify` against a real journal in Postgres and its checkpoints on a real audit.v1 (through the
 * real relay and registry): tampering as the superuser, bypassing the append-only triggers, is found at the
 * entry; a deleted tail is found by the published checkpoint even when the head row was rewound with it.
 */
describe('npm run audit:verify', () => {
  let topics: TestTopics;
  let db: TestSchema;
  let relay: RelayProcess;
  let journal: PostgresAuditJournal;
  let env: Record<string, string | undefined>;

  beforeAll(async () => {
    topics = await provisionTestTopics('auditv', 1);
    db = await createTestSchema([...eventStoreMigrations, GovernanceTables1733000000000], 'auditv');
    journal = new PostgresAuditJournal(db.schema, new PostgresEventStore({ region: 'local' }));
    env = { ...process.env, ...topics.env, DATABASE_SCHEMA: db.schema };
    for (const [index, limit] of [100, 200, 300].entries()) {
      await withTransaction(db.pool, (tx) =>
        journal.append(tx, {
          actor,
          action: 'game_config.version_created',
          subject: `game_config:brand-a:starburst:local`,
          before: index === 0 ? null : { max_stake: limit - 100 },
          after: { max_stake: limit },
          reason: `raise ${index + 1}`,
        }),
      );
    }
    await withTransaction(db.pool, (tx) => journal.publishCheckpoint(tx, 'audit-verify-test'));
    relay = startRelayProcess([db.schema], topics.env);
    await relay.waitForRole(db.schema, 'active');
    await expectEventually(
      async () => {
        const checkpoint = await latestCheckpointOf({ ...topics, schema: db.schema, timeoutMs: 20_000 });
        expect(checkpoint?.sequence).toBe(3);
      },
      { timeoutMs: 60_000 },
    );
  });

  afterAll(async () => {
    await relay?.kill('SIGTERM');
    await db?.drop();
    await topics?.cleanup();
  });

  const superuser = (sql: string, params: unknown[] = []) =>
    withTransaction(db.pool, async (tx) => {
      // What an attacker with the database's superuser does: triggers (the append-only rule) do not fire.
      await tx.query('SET LOCAL session_replication_role = replica');
      await tx.query(sql, params);
    });

  const cli = async (...args: string[]) => {
    try {
      const { stdout } = await promisify(execFile)('npx', ['tsx', 'tools/audit/verify.ts', ...args], {
        cwd: WORKSPACE,
        env,
      });
      return { code: 0, stdout };
    } catch (error) {
      const failed = error as { code: number; stdout: string; stderr: string };
      return { code: failed.code, stdout: `${failed.stdout}${failed.stderr}` };
    }
  };

  it('verifies the untouched chain against the checkpoint read from audit.v1, exit 0', async () => {
    const report = await verifyAuditSchema({ schema: db.schema, tenant: 'brand-a' }, env);
    expect(report.verdict).toMatchObject({ ok: true, entries: 3, head: { sequence: 3 } });
    expect(report.checkpoint).toMatchObject({
      sequence: 3,
      hash: report.verdict.head.hash,
      source: 'audit-verify-test',
    });
    expect(report.tenant).toEqual({ id: 'brand-a', verified: 3, atOrAfterBreak: 0 });

    const run = await cli('--schema', db.schema);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('OK: every link verifies');
  });

  it("refuses UPDATE, DELETE and TRUNCATE of the journal by the service's own role", async () => {
    await expect(
      db.pool.query("UPDATE audit_journal SET reason = 'edited' WHERE sequence = 2"),
    ).rejects.toThrow('audit_journal is append-only: UPDATE is not allowed');
    await expect(db.pool.query('DELETE FROM audit_journal WHERE sequence = 3')).rejects.toThrow(
      'audit_journal is append-only: DELETE is not allowed',
    );
    await expect(db.pool.query('TRUNCATE audit_journal')).rejects.toThrow(
      'audit_journal is append-only: TRUNCATE is not allowed',
    );
    const { rows } = await db.pool.query('SELECT count(*)::int AS n FROM audit_journal');
    expect(rows[0].n).toBe(3);
  });

  it('finds a row the superuser rewrote past the triggers at its sequence, exit 1', async () => {
    const { rows } = await db.pool.query('SELECT after FROM audit_journal WHERE sequence = 2');
    await superuser(`UPDATE audit_journal SET after = '{"max_stake": 99999}' WHERE sequence = 2`);
    try {
      const report = await verifyAuditSchema({ schema: db.schema }, env);
      expect(report.exitCode).toBe(1);
      expect(report.verdict.broken).toMatchObject({ sequence: 2, problem: 'hash_mismatch' });

      const run = await cli('--schema', db.schema);
      expect(run.code).toBe(1);
      expect(run.stdout).toContain('BROKEN at sequence 2: hash_mismatch');
    } finally {
      await superuser('UPDATE audit_journal SET after = $1 WHERE sequence = 2', [
        JSON.stringify(rows[0].after),
      ]);
    }
    expect((await verifyAuditSchema({ schema: db.schema }, env)).verdict.ok).toBe(true);
  });

  it('finds a deleted last entry by the published checkpoint, even with the head row rewound, exit 1', async () => {
    await superuser('DELETE FROM audit_journal WHERE sequence = 3');
    // Only the row gone: the journal's own head row still names entry 3.
    const careless = await verifyAuditSchema({ schema: db.schema, checkpoint: false }, env);
    expect(careless.verdict.broken).toMatchObject({ sequence: 3, problem: 'tail_missing' });

    // The head row rewound too: nothing inside the database tells any more…
    await superuser(
      'UPDATE audit_chain_head SET sequence = 2, hash = (SELECT hash FROM audit_journal WHERE sequence = 2)',
    );
    const inside = await verifyAuditSchema({ schema: db.schema, checkpoint: false }, env);
    expect(inside.verdict.ok).toBe(true);

    // …but the checkpoint published on audit.v1 does.
    const report = await verifyAuditSchema({ schema: db.schema }, env);
    expect(report.exitCode).toBe(1);
    expect(report.verdict.broken).toMatchObject({ sequence: 3, problem: 'tail_missing' });
    expect(report.verdict.broken?.detail).toContain('published checkpoint names entry 3');

    const run = await cli('--schema', db.schema);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('BROKEN at sequence 3: tail_missing');
  });
});
