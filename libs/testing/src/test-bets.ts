import { randomUUID } from 'node:crypto';

import { type MoneyFleet } from './money-fleet';

/** A player as the aggregator's bets name it: its id and an open session. */
export interface TestPlayer {
  readonly playerId: string;
  readonly sessionId: string;
}

export interface TestPlayerOptions {
  /** Cash in the wallet sandbox, in minor units (default 10,000). */
  readonly cash?: number;
  readonly currency?: string;
  /** The game the session is opened for; `authorizeBody` bets on `starburst` unless told. */
  readonly gameId?: string;
  /** The player's country (ISO 3166-1 alpha-2) given when the session is opened; none unless told. */
  readonly country?: string;
}

/** A new wallet account holding `cash`, and a session opened for it over signed HTTP. */
export async function openTestPlayer(
  fleet: Pick<MoneyFleet, 'tenantId' | 'wallet' | 'http'>,
  { cash = 10_000, currency = 'EUR', gameId = 'starburst', country }: TestPlayerOptions = {},
): Promise<TestPlayer> {
  const playerId = `p-${randomUUID()}`;
  await fleet.wallet.admin.createAccount({ tenantId: fleet.tenantId, playerId, currency, cash });
  const opened = await fleet.http.post(
    '/v1/sessions',
    { player_id: playerId, game_id: gameId, currency, ...(country === undefined ? {} : { country }) },
    { key: randomUUID() },
  );
  if (opened.status !== 201)
    throw new Error(`opening a session answered ${opened.status}: ${JSON.stringify(opened.body)}`);
  return { playerId, sessionId: opened.body.session_id as string };
}

/** An authorize body for a new bet of `player` (EUR 2.50 on starburst), with `overrides` on top. */
export function authorizeBody(player: TestPlayer, overrides: Record<string, unknown> = {}) {
  return {
    bet_id: `b-${randomUUID()}`,
    round_id: `r-${randomUUID()}`,
    session_id: player.sessionId,
    player_id: player.playerId,
    game_id: 'starburst',
    game_type: 'slot',
    amount: { minor_units: 250, currency: 'EUR' },
    ...overrides,
  };
}
