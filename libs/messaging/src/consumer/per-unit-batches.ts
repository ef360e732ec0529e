import { type UnitOfWork } from './consumer-inbox';

/**
 * One batch per unit of work, made at the unit's first event and written in its transaction once its last handler
 * ran (`UnitOfWork.beforeCommit`): for handlers that gather a transaction's events into one statement, or one read,
 * instead of one per event. A batch lives as long as its unit (a rolled-back unit's batch is dropped with it).
 */
export class PerUnitBatches<Tx, TBatch> {
  private readonly batches = new WeakMap<UnitOfWork<Tx>, TBatch>();

  constructor(
    private readonly create: () => TBatch,
    private readonly write: (batch: TBatch, tx: Tx) => Promise<void>,
  ) {}

  of(unit: UnitOfWork<Tx>): TBatch {
    const known = this.batches.get(unit);
    if (known !== undefined) return known;
    const batch = this.create();
    this.batches.set(unit, batch);
    unit.beforeCommit(() => this.write(batch, unit.tx));
    return batch;
  }
}
