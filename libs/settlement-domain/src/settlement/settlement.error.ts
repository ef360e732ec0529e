export enum SettlementErrorCode {
  NotStarted = 'SETTLEMENT_NOT_STARTED',
  NoAttemptInFlight = 'SETTLEMENT_NO_ATTEMPT_IN_FLIGHT',
  InvalidAmount = 'SETTLEMENT_INVALID_AMOUNT',
}

/** The one error type of the settlement and rollback sagas: a command that makes no sense in the saga's state. */
export class SettlementError extends Error {
  override readonly name = 'SettlementError';

  constructor(
    readonly code: SettlementErrorCode,
    message: string,
  ) {
    super(message);
  }
}
