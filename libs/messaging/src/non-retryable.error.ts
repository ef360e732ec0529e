/** Thrown by a handler when retrying cannot help (the event can never be processed): straight to the DLQ. */
export class NonRetryableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'NonRetryableError';
  }
}
