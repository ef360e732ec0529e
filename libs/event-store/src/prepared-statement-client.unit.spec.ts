import { statementNameOf } from './prepared-statement-client';

describe(statementNameOf.name, () => {
  it('names a statement by its text: the same text, the same name; another text, another name', () => {
    const read = 'SELECT version FROM streams WHERE stream_id = $1';

    expect(statementNameOf(read)).toBeDefined();
    expect(statementNameOf(read)).toBe(statementNameOf(read));
    expect(statementNameOf(`${read} FOR UPDATE`)).not.toBe(statementNameOf(read));
  });

  it.each([
    'SELECT * FROM accounts WHERE tenant_id = $1',
    'SELECT o.*, v.terms FROM offers o JOIN offer_versions v USING (offer_id) WHERE o.id = $1',
    'SELECT id, t.* FROM t WHERE id = $1',
    'UPDATE accounts SET blocked = $1 RETURNING *',
  ])('leaves unnamed a statement whose result follows the table: %s', (text) => {
    expect(statementNameOf(text)).toBeUndefined();
  });

  it('names a statement that only counts or multiplies with a star', () => {
    expect(statementNameOf('SELECT count(*)::int AS n FROM streams WHERE stream_id = $1')).toBeDefined();
    expect(statementNameOf('UPDATE t SET v = v * $1 WHERE id = $2')).toBeDefined();
  });
});
