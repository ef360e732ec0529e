import { Client } from 'pg';

/** Past this many distinct statement texts in the process, new ones go unnamed: a bound on per-connection state. */
const MAX_NAMED_STATEMENTS = 1_000;
const statementNames = new Map<string, string>();
/**
 * `SELECT *`, `t.*` or `RETURNING *`: a result whose columns follow the table's. Prepared, it would fail with
 * 0A000 ("cached plan must not change result type") on every connection that prepared it before a migration
 * added a column (a rolling deploy), so such statements stay unnamed.
 */
const STAR_RESULT = /(?:SELECT|RETURNING|,)\s*[\w.]*\*/i;

/**
 * A `pg` client that sends every parameterised query as a named prepared statement, so Postgres parses and plans
 * each statement text once per connection instead of on every execution (`pg` sends unnamed statements, which
 * Postgres parses and plans each time). The name follows from the text alone, so the same text always reuses
 * its statement; a statement whose result is `*` stays unnamed (STAR_RESULT). A transaction-mode pooler between the service and Postgres must keep prepared statements per
 * server connection (PgBouncer 1.21+ `max_prepared_statements`), or `DATABASE_PREPARED_STATEMENTS=false`.
 */
export class PreparedStatementClient extends Client {
  // One implementation for pg's many `query` overloads; everything but (text, values[, callback]) passes through.
  override query(...args: unknown[]): never {
    const [text, values, callback] = args;
    if (typeof text === 'string' && Array.isArray(values)) {
      const name = statementNameOf(text);
      if (name !== undefined)
        return (super.query as (...rest: unknown[]) => never)({ name, text, values }, callback);
    }
    return (super.query as (...rest: unknown[]) => never)(...args);
  }
}

/** The statement's name, or undefined when it is sent unnamed (a `*` result, or past the cap). */
export function statementNameOf(text: string): string | undefined {
  let name = statementNames.get(text);
  if (name === undefined && statementNames.size < MAX_NAMED_STATEMENTS && !STAR_RESULT.test(text)) {
    name = `pitboss_${statementNames.size + 1}`;
    statementNames.set(text, name);
  }
  return name;
}
