import { type Pool, type PoolClient } from 'pg';

import { type SagaSubject } from './saga-timer';

type Queryable = Pick<Pool, 'query'> | PoolClient;

/**
 * Records a saga's current state, in the transaction that appended the events which put it there (the
 * `saga_instances` projection).
 */
export async function recordSagaState(
  db: Queryable,
  sagaType: string,
  subject: SagaSubject,
  state: string,
): Promise<void> {
  await db.query(
    `INSERT INTO saga_instances (saga_type, tenant_id, subject_id, state) VALUES ($1, $2, $3, $4)
     ON CONFLICT (saga_type, tenant_id, subject_id) DO UPDATE SET state = EXCLUDED.state, updated_at = now()`,
    [sagaType, subject.tenantId, subject.subjectId, state],
  );
}

export interface SagaStateCount {
  readonly sagaType: string;
  readonly state: string;
  readonly count: number;
}

export async function countSagasByState(db: Queryable): Promise<SagaStateCount[]> {
  const result = await db.query(
    'SELECT saga_type, state, count(*)::int AS n FROM saga_instances GROUP BY saga_type, state',
  );
  return result.rows.map((row) => ({ sagaType: row.saga_type, state: row.state, count: row.n }));
}

export async function sagaStateOf(
  db: Queryable,
  sagaType: string,
  subject: SagaSubject,
): Promise<string | null> {
  const result = await db.query(
    'SELECT state FROM saga_instances WHERE saga_type = $1 AND tenant_id = $2 AND subject_id = $3',
    [sagaType, subject.tenantId, subject.subjectId],
  );
  return result.rows[0]?.state ?? null;
}
