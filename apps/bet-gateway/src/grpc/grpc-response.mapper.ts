import { type BetView } from '../bets/bet-queries';

/**
 * Command answers and query views → the proto's response messages. Fields are picked one by one rather than the
 * body passed through, so a field added to the HTTP body cannot leak into (or break) the gRPC contract unnoticed.
 * Stored answers (replays) were JSON round-tripped, hence `unknown` bodies.
 */
export interface MoneyMessage {
  readonly minor_units: number;
  readonly currency: string;
}

export interface OpenSessionResponseMessage {
  readonly session_id: string;
  readonly expires_at: string;
}

export interface AuthorizeBetResponseMessage {
  readonly status: string;
  readonly bet_id: string;
  readonly balance?: MoneyMessage;
}

export interface BetStatusResponseMessage {
  readonly status: string;
  readonly bet_id: string;
}

export interface BetHistoryEntryMessage {
  readonly type: string;
  readonly occurred_at: string;
  readonly data_json: string;
}

export interface BetViewMessage {
  readonly bet_id: string;
  readonly round_id: string;
  readonly session_id: string;
  readonly player_id: string;
  readonly game_id: string;
  readonly game_type: string;
  readonly amount?: MoneyMessage;
  readonly win?: MoneyMessage;
  readonly status: string;
  readonly bonus_grant_id?: string;
  readonly history: readonly BetHistoryEntryMessage[];
}

export interface RoundViewMessage {
  readonly round_id: string;
  readonly bets: readonly BetViewMessage[];
}

export function openSessionResponseOf(body: unknown): OpenSessionResponseMessage {
  const fields = recordOf(body);
  return { session_id: text(fields['session_id']), expires_at: text(fields['expires_at']) };
}

export function authorizeBetResponseOf(body: unknown): AuthorizeBetResponseMessage {
  const fields = recordOf(body);
  const balance = moneyOf(fields['balance']);
  return {
    status: text(fields['status']),
    bet_id: text(fields['bet_id']),
    ...(balance === undefined ? {} : { balance }),
  };
}

export function betStatusResponseOf(body: unknown): BetStatusResponseMessage {
  const fields = recordOf(body);
  return { status: text(fields['status']), bet_id: text(fields['bet_id']) };
}

export function betViewMessageOf(view: BetView): BetViewMessage {
  const amount = moneyOf(view.amount);
  const win = moneyOf(view.win);
  return {
    bet_id: view.bet_id,
    round_id: view.round_id ?? '',
    session_id: view.session_id ?? '',
    player_id: view.player_id ?? '',
    game_id: view.game_id ?? '',
    game_type: view.game_type ?? '',
    ...(amount === undefined ? {} : { amount }),
    ...(win === undefined ? {} : { win }),
    status: view.status,
    ...(view.bonus_grant_id === null ? {} : { bonus_grant_id: view.bonus_grant_id }),
    history: view.history.map((entry) => ({
      type: entry.type,
      occurred_at: entry.occurred_at,
      data_json: JSON.stringify(entry.data ?? null),
    })),
  };
}

export function roundViewMessageOf(round: { round_id: string; bets: readonly BetView[] }): RoundViewMessage {
  return { round_id: round.round_id, bets: round.bets.map(betViewMessageOf) };
}

/** `{minor_units, currency}` with an integer amount, else undefined (never a made-up zero). */
export function moneyOf(value: unknown): MoneyMessage | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const fields = value as Readonly<Record<string, unknown>>;
  const minorUnits = fields['minor_units'];
  const currency = fields['currency'];
  if (typeof minorUnits !== 'number' || !Number.isSafeInteger(minorUnits) || typeof currency !== 'string') {
    return undefined;
  }
  return { minor_units: minorUnits, currency };
}

function recordOf(body: unknown): Readonly<Record<string, unknown>> {
  return typeof body === 'object' && body !== null ? (body as Readonly<Record<string, unknown>>) : {};
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}
