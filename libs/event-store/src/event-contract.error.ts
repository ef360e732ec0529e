/** An event that its topic's Avro schema would refuse: refused at append, so the outbox never holds poison. */
export class EventContractError extends Error {
  constructor(
    readonly eventType: string,
    readonly problems: readonly string[],
  ) {
    super(`${eventType} does not match its topic schema: ${problems.join('; ')}`);
    this.name = 'EventContractError';
  }
}
