import { type Pool, type PoolClient } from 'pg';

import { type ProjectionRow } from '@pitboss/event-store';

import { type SagaSubject } from './saga-timer';

type Queryable = Pick<Pool, 'query'> | PoolClient;

/**
 * A saga's current state as its row of the `saga_instances` projection, for the append that puts it there to
 * write in the same statement (PostgresEventStore.appendToStream's `projection`).
 */
export function sagaStateRow(sagaType: string, subject: SagaSubject, state: string): ProjectionRow {
  return {
    table: 'saga_instances',
    key: ['saga_type', 'tenant_id', 'subject_id'],
    values: { saga_type: sagaType, tenant_id: subject.tenantId, subject_id: subject.subjectId, state },
  };
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
