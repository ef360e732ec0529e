import { projectionUpsertOf } from './projection-row';

describe(projectionUpsertOf.name, () => {
  it('inserts from the claim and updates every column but the key on conflict, numbering after the append', () => {
    // Given a bet's index row
    const row = {
      table: 'bet_index',
      key: ['tenant_id', 'bet_id'],
      values: { tenant_id: 't1', bet_id: 'b1', status: 'authorized' },
    };

    // When it becomes the append's upsert, after the append's own 15 parameters
    const upsert = projectionUpsertOf(row, 16);

    // Then it writes only when the claim succeeded, and its parameters follow in column order
    expect(upsert.sql).toBe(
      'INSERT INTO bet_index (tenant_id, bet_id, status) SELECT $16, $17, $18 FROM claimed ' +
        'ON CONFLICT (tenant_id, bet_id) DO UPDATE SET status = EXCLUDED.status, updated_at = now()',
    );
    expect(upsert.parameters).toEqual(['t1', 'b1', 'authorized']);
  });
});
