import { createTestSchema, type TestSchema } from '@pitboss/testing';

import { createPool, preparedStatementsOn, withTransaction } from './database';
import { eventStoreMigrations } from './migrations/event-store-migrations';

describe('prepared statements', () => {
  let db: TestSchema;

  beforeAll(async () => {
    db = await createTestSchema(eventStoreMigrations, 'prep');
  });
  afterAll(() => db.drop());

  const preparedOn = async (tx: {
    query: (sql: string) => Promise<{ rows: Array<{ statement: string }> }>;
  }) => (await tx.query('SELECT statement FROM pg_prepared_statements')).rows.map((row) => row.statement);

  it('prepares a parameterised query once per connection and reuses it; a plain query stays unnamed', async () => {
    const pool = createPool({ databaseUrl: db.databaseUrl, schema: db.schema, maxConnections: 1 });
    try {
      const prepared = await withTransaction(pool, async (tx) => {
        const first = await tx.query('SELECT count(*)::int AS n FROM streams WHERE stream_id = $1', ['s-1']);
        const again = await tx.query('SELECT count(*)::int AS n FROM streams WHERE stream_id = $1', ['s-2']);
        await tx.query('SELECT 1 AS plain');
        expect([first.rows, again.rows]).toEqual([[{ n: 0 }], [{ n: 0 }]]);
        return preparedOn(tx);
      });

      expect(prepared).toEqual(['SELECT count(*)::int AS n FROM streams WHERE stream_id = $1']);
    } finally {
      await pool.end();
    }
  });

  it('is on by default and off with DATABASE_PREPARED_STATEMENTS=false; anything else is refused', () => {
    expect(preparedStatementsOn({})).toBe(true);
    expect(preparedStatementsOn({ DATABASE_PREPARED_STATEMENTS: 'false' })).toBe(false);
    expect(() => preparedStatementsOn({ DATABASE_PREPARED_STATEMENTS: 'no' })).toThrow(/true or false/);
  });
});
