/** What a handler answered, as it is stored and replayed. */
export interface StoredResponse {
  readonly status: number;
  /** JSON-serialisable; replays return it parsed back from JSON. */
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * Only a final answer is stored. 5xx and the "try again later" 4xx (408 timeout, 425 too early, 429 rate
 * limited) say the request was not (fully) processed, so a retry with the same key must execute again.
 */
export function isStorableStatus(status: number): boolean {
  if (status >= 500) return false;
  return status !== 408 && status !== 425 && status !== 429;
}
