import { createTestSchema, type TestSchema } from '@pitboss/testing';

import { createPool, withTransaction } from './database';
import { eventStoreMigrations } from './migrations/event-store-migrations';

describe('withTransaction', () => {
  let db: TestSchema;

  beforeAll(async () => {
    db = await createTestSchema(eventStoreMigrations, 'tx');
  });
  afterAll(() => db.drop());

  it('fails a transaction whose connection is lost, keeps the process up, and never reuses that connection', async () => {
    const pool = createPool({ databaseUrl: db.databaseUrl, schema: db.schema, maxConnections: 1 });
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown): void => {
      uncaught.push(error);
    };
    process.prependListener('uncaughtException', onUncaught);
    try {
      const lost = withTransaction(pool, async (tx) => {
        const { rows } = await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
        await db.pool.query('SELECT pg_terminate_backend($1)', [rows[0]?.pid]);
        // The connection is gone while checked out: pg reports it as an 'error' event on the client.
        await new Promise((resolve) => setTimeout(resolve, 200));
        await tx.query('SELECT 1');
      });

      await expect(lost).rejects.toThrow();
      const { rows } = await withTransaction(pool, (tx) => tx.query<{ one: number }>('SELECT 1 AS one'));
      expect(rows).toEqual([{ one: 1 }]);
      expect(uncaught).toEqual([]);
    } finally {
      process.off('uncaughtException', onUncaught);
      await pool.end();
    }
  });
});
