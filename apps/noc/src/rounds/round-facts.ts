import { type EventEnvelope } from '@pitboss/contracts';
import {
  type BetAuthorized,
  type BetRejected,
  type BetRolledBack,
  type BetSettled,
} from '@pitboss/contracts';

/** The little the NOC needs of a bet event; a bet is identified by (tenant, bet_id) on every topic. */
export type RoundFact =
  | {
      readonly kind: 'authorized';
      readonly at: number;
      readonly bet: string;
      readonly game: string;
      readonly currency: string;
      readonly stake: number;
      readonly mathVersion: string | null;
      readonly country: string | null;
    }
  | { readonly kind: 'rejected'; readonly at: number; readonly game: string; readonly reasonCode: string }
  | { readonly kind: 'settled'; readonly at: number; readonly bet: string; readonly win: number }
  | { readonly kind: 'rolled_back'; readonly at: number; readonly bet: string };

/** The fact an event carries for the NOC, or null for the event types it does not show. */
export function roundFactOf(envelope: EventEnvelope): RoundFact | null {
  const at = envelope.occurred_at;
  const betOf = (betId: string) => `${envelope.tenant_id}:${betId}`;
  switch (envelope.event_type) {
    case 'bet.authorized': {
      const payload = envelope.payload as unknown as BetAuthorized;
      return {
        kind: 'authorized',
        at,
        bet: betOf(payload.bet_id),
        game: payload.game_id,
        currency: payload.amount.currency,
        stake: payload.amount.minor_units,
        mathVersion: payload.math_version ?? null,
        // Bets written before the field existed decode with its default (null); events built in memory may lack it.
        country: payload.country ?? null,
      };
    }
    case 'bet.rejected': {
      const payload = envelope.payload as unknown as BetRejected;
      return { kind: 'rejected', at, game: payload.game_id, reasonCode: payload.reason_code };
    }
    case 'bet.settled': {
      const payload = envelope.payload as unknown as BetSettled;
      return { kind: 'settled', at, bet: betOf(payload.bet_id), win: payload.win.minor_units };
    }
    case 'bet.rolled_back': {
      const payload = envelope.payload as unknown as BetRolledBack;
      return { kind: 'rolled_back', at, bet: betOf(payload.bet_id) };
    }
    default:
      return null;
  }
}
