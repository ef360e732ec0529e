import {
  aggregatorClient,
  type AuthorizeRequest,
  type CallOutcome,
  type ClientTarget,
} from './aggregator-client';
import { type DemoBook, type DemoPlayer } from './demo-book';
import { GAMES } from './demo-rounds';

export interface RefusalCase {
  readonly name: string;
  readonly transport: string;
  /** The catalogue code the gateway must answer, or `replayed` for the stored answer of an earlier call. */
  readonly expected: string;
  readonly got: string;
  readonly ok: boolean;
}

/**
 * Requests an aggregator gets wrong, one of each kind, to show the error codes: none of them may move money
 * (the balance and ledger checks prove it). Runs on players whose sessions are open.
 */
export async function playRefusals(
  target: ClientTarget,
  httpPlayer: DemoPlayer,
  grpcPlayer: DemoPlayer,
  book: DemoBook,
): Promise<RefusalCase[]> {
  const cases: RefusalCase[] = [];
  const record = (
    name: string,
    player: DemoPlayer | string,
    expected: string,
    outcome: CallOutcome<unknown>,
  ) => {
    const got = outcome.ok ? (outcome.replayed ? 'replayed' : 'accepted') : outcome.code;
    const transport = typeof player === 'string' ? player : player.client.transport;
    cases.push({ name, transport, expected, got, ok: got === expected });
    if (!outcome.ok) book.refused(name.split(' ')[0] ?? name, outcome.code);
  };
  const terms = (player: DemoPlayer, betId: string, minorUnits: number): AuthorizeRequest => ({
    bet_id: betId,
    round_id: `${betId}-round`,
    session_id: player.sessionId ?? 'no-session',
    player_id: player.playerId,
    game_id: (player.game ?? GAMES[0]).id,
    game_type: (player.game ?? GAMES[0]).type,
    amount: { minor_units: minorUnits, currency: player.currency },
  });

  for (const player of [httpPlayer, grpcPlayer]) {
    const betId = `${player.playerId}-too-big`;
    record(
      'authorize above the balance',
      player,
      'INSUFFICIENT_FUNDS',
      await player.client.authorize(terms(player, betId, 100_000_000), `${betId}:authorize`),
    );
  }

  // One bet accepted, then three ways of sending it again.
  const player = httpPlayer;
  const betId = `${player.playerId}-dup`;
  const original = terms(player, betId, 100);
  const accepted = await player.client.authorize(original, `${betId}:authorize`);
  if (accepted.ok) book.authorized(player, betId, original.amount, accepted.latencyMs);
  record('authorize (accepted, for the next three)', player, 'accepted', accepted);
  record(
    'authorize again, same key and body',
    player,
    'replayed',
    await player.client.authorize(original, `${betId}:authorize`),
  );
  record(
    'authorize same key, other amount',
    player,
    'IDEMPOTENCY_MISMATCH',
    await player.client.authorize(terms(player, betId, 300), `${betId}:authorize`),
  );
  record(
    'authorize same bet_id, other amount, new key',
    player,
    'DUPLICATE_BET_ID',
    await player.client.authorize(terms(player, betId, 200), `${betId}:authorize-2`),
  );
  const loss = { minor_units: 0, currency: player.currency };
  const settled = await player.client.settle(
    { bet_id: betId, round_id: original.round_id, win: loss },
    `${betId}:settle`,
  );
  if (settled.ok) book.settled(player, betId, loss, settled.latencyMs);
  record('settle (accepted, a loss)', player, 'accepted', settled);
  record(
    'rollback after settlement',
    player,
    'BET_ALREADY_SETTLED',
    await player.client.rollback({ bet_id: betId, reason: 'too late' }, `${betId}:rollback`),
  );
  record(
    'settle an unknown bet',
    grpcPlayer,
    'BET_NOT_FOUND',
    await grpcPlayer.client.settle(
      { bet_id: `${grpcPlayer.playerId}-never`, round_id: 'none', win: loss },
      `${grpcPlayer.playerId}-never:settle`,
    ),
  );

  const otherCurrency = player.currency === 'EUR' ? 'SEK' : 'EUR';
  const foreign = {
    ...terms(player, `${player.playerId}-fx`, 100),
    amount: { minor_units: 100, currency: otherCurrency },
  };
  record(
    'authorize in another currency',
    player,
    'CURRENCY_MISMATCH',
    await player.client.authorize(foreign, `${player.playerId}-fx:authorize`),
  );
  const otherGame = GAMES.find((game) => game.id !== player.game?.id) ?? GAMES[0];
  record(
    'authorize a game not the session’s',
    player,
    'GAME_MISMATCH',
    await player.client.authorize(
      { ...terms(player, `${player.playerId}-game`, 100), game_id: otherGame.id, game_type: otherGame.type },
      `${player.playerId}-game:authorize`,
    ),
  );
  record(
    'authorize a zero stake',
    player,
    'INVALID_REQUEST',
    await player.client.authorize(
      terms(player, `${player.playerId}-zero`, 0),
      `${player.playerId}-zero:authorize`,
    ),
  );

  const forger = aggregatorClient({ ...target, secret: 'not-the-secret' }, 'http');
  const forged = `${player.playerId}-forged`;
  record(
    'authorize signed with a wrong secret',
    'http',
    'INVALID_SIGNATURE',
    await forger.authorize(terms(player, forged, 100), `${forged}:authorize`),
  );
  return cases;
}
