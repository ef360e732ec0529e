import { type ExpectedVersion } from './events';

/** Another writer appended to the stream since the caller read it: reload and decide again. */
export class StreamVersionConflictError extends Error {
  constructor(
    readonly streamId: string,
    readonly expectedVersion: ExpectedVersion,
  ) {
    super(`stream ${streamId} is not at version ${expectedVersion}`);
    this.name = 'StreamVersionConflictError';
  }
}
