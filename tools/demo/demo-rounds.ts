import { randomInt } from 'node:crypto';

import { certifiedGameConfig } from '@pitboss/testing';

import { type DemoBook, type DemoPlayer } from './demo-book';

export const GAMES = [
  { id: 'book-of-pitboss', type: 'slot' },
  { id: 'lightning-roulette', type: 'live' },
  { id: 'rocket-crash', type: 'crash' },
] as const;

/** Each game's certified math (written as the tenant's game configs before the traffic; the NOC shows them). */
export const DEMO_GAME_CONFIGS = [
  certifiedGameConfig('book-of-pitboss', {
    version: 'book-of-pitboss-1.0',
    certifiedRtpBp: 9_600,
    corridorBp: { min: 9_000, max: 10_200 },
  }),
  certifiedGameConfig('lightning-roulette', {
    version: 'lightning-roulette-2.1',
    certifiedRtpBp: 9_730,
    corridorBp: { min: 9_100, max: 10_300 },
  }),
  certifiedGameConfig('rocket-crash', {
    version: 'rocket-crash-1.4',
    certifiedRtpBp: 9_700,
    corridorBp: { min: 9_100, max: 10_300 },
  }),
];

/** Countries the HTTP players' sessions are opened from (the gRPC API takes no country), for the NOC's map. */
const COUNTRIES = ['DE', 'SE', 'FI', 'MT', 'GB'];

export interface RoundsPlan {
  readonly runId: string;
  readonly roundsPerPlayer: number;
  /** Share of rounds rolled back by the aggregator instead of settled (e.g. the game client crashed). */
  readonly rollbackShare: number;
  /** The run was cut short (Ctrl-C, deadline): no further requests. */
  readonly aborted: AbortSignal;
  /** A pause after each round (the live traffic after the report); none by default. */
  readonly pauseMs?: number;
  /** Rounds already played by each player: bet and round ids continue after them (default 0). */
  readonly roundsBefore?: number;
}

/** Every player opens a session, then plays its rounds one after another; the players play concurrently. */
export async function playRounds(
  players: readonly DemoPlayer[],
  book: DemoBook,
  plan: RoundsPlan,
): Promise<void> {
  await Promise.all(players.map((player, index) => playSession(player, index, book, plan)));
}

async function playSession(
  player: DemoPlayer,
  index: number,
  book: DemoBook,
  plan: RoundsPlan,
): Promise<void> {
  const game = GAMES[index % GAMES.length] ?? GAMES[0];
  const country = player.client.transport === 'http' ? { country: COUNTRIES[index % COUNTRIES.length] } : {};
  const session = await player.client.openSession(
    { player_id: player.playerId, game_id: game.id, currency: player.currency, ...country },
    `${plan.runId}:session:${player.playerId}`,
  );
  if (!session.ok) {
    book.refused('open-session', session.code);
    return;
  }
  player.sessionId = session.body.session_id;
  player.game = game;
  for (let round = 1; round <= plan.roundsPerPlayer && !plan.aborted.aborted; round++) {
    const betId = `${player.playerId}-bet-${round + (plan.roundsBefore ?? 0)}`;
    const roundId = `${player.playerId}-round-${round + (plan.roundsBefore ?? 0)}`;
    // Multiples of 50 minor units, so every win below (a tenth of the stake times 1..34) is whole.
    const stake = { minor_units: randomInt(1, 21) * 50, currency: player.currency };
    const authorized = await player.client.authorize(
      {
        bet_id: betId,
        round_id: roundId,
        session_id: player.sessionId,
        player_id: player.playerId,
        game_id: game.id,
        game_type: game.type,
        amount: stake,
      },
      `${betId}:authorize`,
    );
    if (!authorized.ok) {
      book.refused('authorize', authorized.code);
      continue;
    }
    book.authorized(player, betId, stake, authorized.latencyMs);
    if (Math.random() < plan.rollbackShare) {
      const rollback = await player.client.rollback(
        { bet_id: betId, reason: 'game client lost the round' },
        `${betId}:rollback`,
      );
      if (rollback.ok) book.rolledBack(player, betId, stake);
      else book.refused('rollback', rollback.code);
      continue;
    }
    // About half the rounds lose (win 0); a win pays 0.1x to 3.4x the stake: 0.55 × 1.75 ≈ 96 % RTP on average.
    const win = {
      minor_units: randomInt(100) < 45 ? 0 : (stake.minor_units / 10) * randomInt(1, 35),
      currency: player.currency,
    };
    const settled = await player.client.settle({ bet_id: betId, round_id: roundId, win }, `${betId}:settle`);
    if (settled.ok) book.settled(player, betId, win, settled.latencyMs);
    else book.refused('settle', settled.code);
    if (plan.pauseMs) await new Promise((resolve) => setTimeout(resolve, plan.pauseMs));
  }
}
