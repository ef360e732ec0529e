/** Who did something, as the audit journal and the change requests record it (from the bearer token). */
export interface Actor {
  /** The token's `sub`: the person or client that acted. */
  readonly subject: string;
  readonly clientId: string;
  readonly tenantId: string;
}

/** An actor and the scopes its token holds: what the four-eyes rules look at. */
export interface Approver extends Actor {
  readonly scopes: readonly string[];
}
