/**
 * What bonus-grant knows of a player, from the platform's events (players.v1, rg.v1, payments.deposits.v1): the
 * read model bonus-grant keeps and eligibility and jurisdiction checks read. Never fetched by a call.
 */
export interface PlayerFacts {
  readonly tenant_id: string;
  readonly player_id: string;
  /** The brand the player's account belongs to (the tenant's brand code). */
  readonly brand: string;
  /** ISO 3166-1 alpha-2, upper case. */
  readonly country: string;
  /** The licence (jurisdiction) the player plays under: GB, SE, DK, NL, ES, BR, MT, ... */
  readonly licence: string;
  /** 0 none, 1 basic, 2 verified, 3 enhanced due diligence. */
  readonly kyc_level: number;
  readonly segments: readonly string[];
  /** The channel the player registered on. */
  readonly channel: string;
  readonly account_created_at: string;
  readonly closed: boolean;
  /** Self-excluded now (rg.v1 player.self_excluded, not ended, not past excluded_until). */
  readonly self_excluded: boolean;
  /** Blocked by the operator (rg.v1 player.blocked, not unblocked). */
  readonly blocked: boolean;
  /** The first deposit the platform captured for the player; null: none yet. */
  readonly first_deposit_id: string | null;
}

/** What the evaluation is asked about, beside the player: the trigger and the request's circumstances. */
export interface EligibilityContext {
  /** When the grant would be made (account age, schedule). */
  readonly at: Date;
  /** The channel the request comes from; absent: the player's registration channel. */
  readonly channel?: string;
  /** The deposit that triggers the grant; absent: "would the player's next deposit qualify". */
  readonly deposit_id?: string;
}
