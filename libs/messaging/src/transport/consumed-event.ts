import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { BaseRpcContext } from '@nestjs/microservices';

import { type ConsumedEventContext } from '../consumer/consumed-message';
import { type UnitOfWork } from '../consumer/consumer-inbox';

/**
 * The `@Ctx()` of an `@EventPattern` handler on the Kafka transport: where the event came from, the transaction
 * its inbox row is in (record the effect there) and the after-commit hook.
 */
export class ConsumedEvent<Tx = unknown> extends BaseRpcContext<[ConsumedEventContext, UnitOfWork<Tx>]> {
  get source(): ConsumedEventContext {
    return this.getArgByIndex(0);
  }

  get transaction(): Tx {
    return this.getArgByIndex(1).tx;
  }

  /** The batch's unit of work: its transaction and after-commit hook, one object per transaction. */
  get unit(): UnitOfWork<Tx> {
    return this.getArgByIndex(1);
  }

  /** Runs `step` once the batch's transaction has committed (never when it rolls back). */
  afterCommit(step: () => void): void {
    this.getArgByIndex(1).afterCommit(step);
  }
}

/** The transaction the handler records its effect in: `@EventTransaction() tx: Transaction`. */
export const EventTransaction = createParamDecorator(
  (_data: unknown, context: ExecutionContext): unknown =>
    context.switchToRpc().getContext<ConsumedEvent>().transaction,
);
