import { randomBytes, randomInt, randomUUID } from 'node:crypto';

import { type Pool } from 'pg';

import { type BetAuthorized, type SettlementRequested } from '@pitboss/contracts';
import { type AppendResult, type EventContext, type PostgresEventStore } from '@pitboss/event-store';

export interface Tenant {
  readonly id: string;
  readonly currency: string;
}

export interface RoundsOptions {
  readonly pool: Pool;
  readonly store: PostgresEventStore;
  readonly tenants: readonly Tenant[];
  /** Players in all, dealt round-robin to the tenants. */
  readonly players: number;
  /** Concurrent sessions; each plays its own players' rounds one after another, as an aggregator would. */
  readonly writers: number;
  /** Events in all: two per round (authorized, then settlement requested); an odd share leaves one bet open. */
  readonly events: number;
}

export interface AppendedEvent {
  readonly eventId: string;
  readonly type: string;
}

const GAMES = [
  { id: 'book-of-pitboss', type: 'slot' },
  { id: 'lightning-roulette', type: 'live' },
  { id: 'rocket-crash', type: 'crash' },
] as const;

/**
 * Round events shaped like bet-gateway's: `bet.authorized` then `settlement.requested` on the stream
 * `bet-<bet_id>`, each its own append, with integer minor-unit amounts, appended straight into an event store
 * so that `npm run bench:relay` measures the relay alone. No wallet is called (`wallet_transaction_id` and
 * `balance_after` stay null); `npm run bench:gateway` measures the whole money path instead.
 */
export async function playRounds(options: RoundsOptions): Promise<AppendedEvent[]> {
  const writers = Array.from({ length: options.writers }, (_, writer) =>
    playSession(options, playersOf(writer, options), eventBudget(writer, options)),
  );
  return (await Promise.all(writers)).flat();
}

function eventBudget(writer: number, { events, writers }: RoundsOptions): number {
  return Math.floor(events / writers) + (writer < events % writers ? 1 : 0);
}

/** A player belongs to one writer, so one player's rounds never interleave (like one game client). */
function playersOf(writer: number, { players, writers }: RoundsOptions): number[] {
  const own = Array.from({ length: players }, (_, player) => player).filter((p) => p % writers === writer);
  return own.length > 0 ? own : [writer % players];
}

async function playSession(
  options: RoundsOptions,
  players: number[],
  budget: number,
): Promise<AppendedEvent[]> {
  const appended: AppendedEvent[] = [];
  const sessions = new Map<number, string>();
  for (let turn = 0; appended.length < budget; turn++) {
    const player = players[turn % players.length] as number;
    const tenant = options.tenants[player % options.tenants.length] as Tenant;
    if (!sessions.has(player)) sessions.set(player, `ses-${randomUUID()}`);
    const betId = randomUUID();
    const context: EventContext = {
      tenantId: tenant.id,
      playerId: `player-${String(player).padStart(3, '0')}`,
      sessionId: sessions.get(player) ?? null,
      roundId: `rnd-${randomUUID()}`,
    };
    const stake = randomInt(1, 51) * 10; // 10..500 minor units, a multiple of 10 so every win below is whole
    const authorized = await options.store.append(
      options.pool,
      `bet-${betId}`,
      'no_stream',
      [{ type: 'bet.authorized', data: authorization(betId, stake, tenant.currency) }],
      { ...context, traceparent: newTraceparent(), idempotencyKey: `${betId}:debit` },
    );
    appended.push(firstOf(authorized));
    if (appended.length >= budget) break; // this bet stays open, as real ones do between requests
    const settled = await options.store.append(
      options.pool,
      `bet-${betId}`,
      authorized.nextExpectedVersion,
      [{ type: 'settlement.requested', data: settlement(betId, stake, tenant.currency) }],
      {
        ...context,
        traceparent: newTraceparent(),
        idempotencyKey: `${betId}:settle`,
        causationId: firstOf(authorized).eventId,
      },
    );
    appended.push(firstOf(settled));
  }
  return appended;
}

function authorization(betId: string, stake: number, currency: string): BetAuthorized {
  const game = GAMES[randomInt(GAMES.length)] ?? GAMES[0];
  return {
    bet_id: betId,
    game_id: game.id,
    game_type: game.type,
    amount: { minor_units: stake, currency },
    bonus_grant_id: null,
    math_version: null,
    country: null,
    wallet_transaction_id: null,
    balance_after: null,
    provider: null,
    funded_by: null,
  };
}

/** About half the rounds lose (win 0); a win pays 0.1x to 3x the stake, in whole minor units. */
function settlement(betId: string, stake: number, currency: string): SettlementRequested {
  const win = randomInt(100) < 55 ? 0 : (stake / 10) * randomInt(1, 31);
  return {
    bet_id: betId,
    win: { minor_units: win, currency },
    math_version: null,
    // The facts settle-worker would otherwise take from the bet's stream are left unknown here.
    stake: null,
    game_id: null,
    game_type: null,
    provider: null,
    bonus_grant_id: null,
    entitlement_id: null,
    funded_by: null,
    win_credit: 'cash',
  };
}

function firstOf(result: AppendResult): AppendedEvent {
  const event = result.events[0];
  if (!event) throw new Error('append returned no event');
  return { eventId: event.eventId, type: event.type };
}

/** Each aggregator request carries its own W3C trace, so every event's trace_id is set as in production. */
function newTraceparent(): string {
  return `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-01`;
}
