import { type ChangeFacts, type ChangePolicy, type ChangeRequest } from '@pitboss/governance-domain';
import { type Transaction } from '@pitboss/event-store';

/** What applying a change did, as its audit entry records it. */
export interface AppliedChange {
  readonly action: string;
  readonly subject: string;
  readonly before: unknown;
  readonly after: unknown;
}

/**
 * One kind of change a service accepts through four-eyes (`game_config`, later promo offers, grants…): how to
 * read its payload, what the four-eyes rule needs to know about it, and how to apply it once approved (in the
 * approval's transaction, holding the request's row lock).
 */
export interface ChangeKind<TPayload = unknown> {
  readonly policy: ChangePolicy;
  /** Validates the payload; throws INVALID_REQUEST (or the kind's own code) for a bad one. */
  parse(payload: unknown): TPayload;
  facts(tx: Transaction, tenantId: string, payload: TPayload): Promise<ChangeFacts>;
  apply(tx: Transaction, request: ChangeRequest, payload: TPayload): Promise<AppliedChange>;
  /**
   * Optional: what a rejection does besides closing the request (a held bonus conversion is forfeited), in the
   * rejection's transaction; null when it does nothing more (then only the rejection is audited).
   */
  reject?(tx: Transaction, request: ChangeRequest, payload: TPayload): Promise<AppliedChange | null>;
}
