/** One consumed event as the inbox records it. */
export interface InboxEntry {
  readonly eventId: string;
  readonly eventType: string;
  readonly sourceTopic: string;
}

/**
 * The consumer's inbox in its database (libs/event-store's `postgresInbox`): transactions, and the claim of event
 * ids inside one. A claimed id is recorded in the transaction; an id recorded before is not claimed again.
 */
export interface ConsumerInbox<Tx> {
  transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T>;
  /** Records the events for `consumer` in `tx`; returns the ids that were not recorded before. */
  claim(tx: Tx, consumer: string, events: readonly InboxEntry[]): Promise<ReadonlySet<string>>;
}

/** The transaction a handler records its effect in, and what to run only once that transaction has committed. */
export interface UnitOfWork<Tx> {
  readonly tx: Tx;
  /** Runs `step` after the commit (waking a timer loop, counting a metric); dropped when the work rolls back. */
  afterCommit(step: () => void): void;
  /**
   * Runs `step` in the transaction once every handler of the unit has run, before the commit, in the order
   * given: what handlers gathered over the batch is written there in one statement instead of one per event.
   */
  beforeCommit(step: () => Promise<void>): void;
}
