/** The parts of an Express (or compatible) request the guard reads and writes, to avoid typing on Express. */
export interface SignedHttpRequest {
  readonly method: string;
  readonly url: string;
  /** Express keeps the request target as received here, even when routers rewrite `url`. */
  readonly originalUrl?: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** Set by Nest's body parsers when the app was created with `{ rawBody: true }`. */
  readonly rawBody?: Buffer;
  readonly body?: unknown;
  /** The verified tenant, set by `SignatureGuard`. */
  tenantId?: string;
}
