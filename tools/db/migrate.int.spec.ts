import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';

import { createPool } from '@pitboss/event-store';
import { infrastructureConfig, SERVICES_WITH_EVENT_STORE } from '@pitboss/platform-config';
import {
  provisionTestTopics,
  type ServiceProcess,
  signedHttpClient,
  startServiceProcess,
  type TestTopics,
} from '@pitboss/testing';

const WORKSPACE = path.resolve(__dirname, '..', '..');
const { databaseUrl } = infrastructureConfig();

/** Runs a script under tsx as `npm run db:migrate` does; its exit code and output. */
function runTsx(
  script: string,
  env: Record<string, string>,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script], {
      cwd: WORKSPACE,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, output }));
  });
}

async function tablesOf(schema: string): Promise<string[]> {
  const pool = createPool({ databaseUrl, schema: 'public', maxConnections: 1 });
  try {
    const { rows } = await pool.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name`,
      [schema],
    );
    return rows.map((row) => row.table_name);
  } finally {
    await pool.end();
  }
}

async function dropSchema(schema: string): Promise<void> {
  const pool = createPool({ databaseUrl, schema: 'public', maxConnections: 1 });
  try {
    await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await pool.end();
  }
}

/** The migrate jobs alone prepare a service's schema, so deployments can start services with migration off. */
describe('migrate jobs', () => {
  const schema = `migrate_${randomBytes(4).toString('hex')}`;
  let topics: TestTopics | undefined;
  let gateway: ServiceProcess | undefined;

  afterAll(async () => {
    await gateway?.kill();
    await topics?.cleanup();
    await dropSchema(schema);
  });

  it.each([
    ['bet-gateway', ['bet_index', 'bonus_grants', 'idempotency_records', 'player_restrictions', 'sessions']],
    ['settle-worker', ['saga_instances', 'saga_timers']],
  ])('%s: its job creates its own tables beside the event store', async (service, own) => {
    const target = `${schema}_${service.replace('-', '_')}`;
    try {
      const job = await runTsx(`apps/${service}/src/migrate.ts`, { DATABASE_SCHEMA: target });

      expect([job.code, job.output]).toEqual([0, expect.stringContaining(`db: ${target}: applied`)]);
      expect(await tablesOf(target)).toEqual(
        expect.arrayContaining(['events', 'inbox', 'outbox', 'streams', ...own]),
      );
      const again = await runTsx(`apps/${service}/src/migrate.ts`, { DATABASE_SCHEMA: target });
      expect([again.code, again.output]).toEqual([0, `db: ${target}: up to date\n`]);
    } finally {
      await dropSchema(target);
    }
  });

  it('bet-gateway started with DATABASE_MIGRATE_ON_START=false on a schema its job prepared is ready and opens sessions', async () => {
    const job = await runTsx('apps/bet-gateway/src/migrate.ts', { DATABASE_SCHEMA: schema });
    expect(job.code).toBe(0);
    topics = await provisionTestTopics('migratejob');
    const tenantId = `t-migrate-${randomBytes(4).toString('hex')}`;
    const secret = randomBytes(16).toString('hex');

    gateway = await startServiceProcess('bet-gateway', {
      env: {
        ...topics.env,
        DATABASE_SCHEMA: schema,
        DATABASE_MIGRATE_ON_START: 'false',
        TENANT_SECRETS: `${tenantId}:${secret}`,
      },
    });
    const opened = await signedHttpClient(gateway.url, tenantId, secret).post(
      '/v1/sessions',
      { player_id: 'p-1', game_id: 'starburst', currency: 'EUR' },
      { key: randomUUID() },
    );

    expect(opened.status).toBe(201);
  });

  it('npm run db:migrate runs the job of every service with an event store', async () => {
    const run = await runTsx('tools/db/migrate.ts', {});

    expect(run.code).toBe(0);
    for (const service of SERVICES_WITH_EVENT_STORE) {
      // eslint-disable-next-line security/detect-non-literal-regexp -- the service name is the test's own
      expect(run.output).toMatch(new RegExp(`^db: ${service.replace(/-/g, '_')}: `, 'm'));
    }
    expect(await tablesOf('bet_gateway')).toEqual(
      expect.arrayContaining(['sessions', 'idempotency_records']),
    );
    expect(await tablesOf('settle_worker')).toEqual(expect.arrayContaining(['saga_timers']));
  });
});
