import { Logger } from '@nestjs/common';

import { type EventEnvelope } from '@pitboss/contracts';

import { type DecodedMessage, messageOf } from './consumed-message';
import { type MessageProcessor } from './consumer-engine';
import { type ConsumerInbox, type UnitOfWork } from './consumer-inbox';
import { inMessageSpan } from './message-span';

export type TransactionalHandler<Tx> = (message: DecodedMessage, unit: UnitOfWork<Tx>) => Promise<void>;

/** Which consumed events a consumer keeps: the others get no inbox row, no handler call and no transaction. */
export type EventSelector = (envelope: EventEnvelope) => boolean;

const everyEvent: EventSelector = () => true;

const logger = new Logger('ConsumerTransaction');

/**
 * Applies messages with their inbox rows in one transaction: a chunk's rows are claimed with one statement, the
 * handler runs for each event not recorded before (once per event id, even when the relay published it twice
 * into one chunk), then the steps the handlers left for before the commit (`beforeCommit`), and everything
 * commits together or not at all. A redelivered chunk claims nothing and changes nothing; a concurrent twin (a rebalance overlap) blocks on the rows until this commit, then claims nothing.
 * Events `selects` declines are left out before the claim: a chunk of only those opens no transaction.
 */
export function transactionalProcessor<Tx>(
  inbox: ConsumerInbox<Tx>,
  consumer: string,
  handler: TransactionalHandler<Tx>,
  selects: EventSelector = everyEvent,
): MessageProcessor {
  const apply = async (chunk: readonly DecodedMessage[], spanEach: boolean): Promise<void> => {
    const messages = chunk.filter((message) => selects(message.envelope));
    if (messages.length === 0) return;
    const steps: (() => void)[] = [];
    await inbox.transaction(async (tx) => {
      const claimed = new Set(
        await inbox.claim(
          tx,
          consumer,
          messages.map(({ envelope, context }) => ({
            eventId: envelope.event_id,
            eventType: envelope.event_type,
            sourceTopic: context.topic,
          })),
        ),
      );
      const beforeCommit: (() => Promise<void>)[] = [];
      const unit: UnitOfWork<Tx> = {
        tx,
        afterCommit: (step) => void steps.push(step),
        beforeCommit: (step) => void beforeCommit.push(step),
      };
      for (const message of messages) {
        if (!claimed.delete(message.envelope.event_id)) continue;
        await (spanEach ? inMessageSpan(message, () => handler(message, unit)) : handler(message, unit));
      }
      for (const step of beforeCommit) await step();
    });
    for (const step of steps) {
      // Committed already: a failing step must not make the events look unprocessed (they would be skipped as
      // duplicates anyway), so it is logged, not thrown.
      try {
        step();
      } catch (error) {
        logger.error(`after-commit step failed: ${messageOf(error)}`);
      }
    }
  };
  return {
    applyAll: (messages) => apply(messages, true),
    // The engine runs a single message in its span already.
    applyOne: (message) => apply([message], false),
  };
}
