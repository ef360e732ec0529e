/**
 * Decoded gRPC requests → the JSON bodies HTTP /v1 takes, so both transports go through the same zod schemas and
 * the same idempotency fingerprint (a key used over HTTP and then over gRPC for the same request is a replay).
 *
 * proto3 has no "absent" for scalars: a missing string arrives as '', which the schemas refuse like an absent
 * field. Money is a message, so an absent one arrives as null and is left out here ("Required"). int64 arrives as
 * a Number (proto-loader `longs: Number`); above 2^53 it is already rounded to an unsafe integer, which the
 * schemas refuse (`Number.isSafeInteger`), so no amount is ever silently changed.
 */
export type DecodedMessage = Readonly<Record<string, unknown>>;

export interface MoneyJson {
  readonly minor_units: unknown;
  readonly currency: unknown;
}

export function openSessionBodyOf(message: DecodedMessage): Record<string, unknown> {
  return {
    player_id: message['player_id'],
    game_id: message['game_id'],
    currency: message['currency'],
  };
}

export function authorizeBetBodyOf(message: DecodedMessage): Record<string, unknown> {
  const bonusGrantId = message['bonus_grant_id'];
  const entitlementId = message['entitlement_id'];
  return {
    bet_id: message['bet_id'],
    round_id: message['round_id'],
    session_id: message['session_id'],
    player_id: message['player_id'],
    game_id: message['game_id'],
    game_type: message['game_type'],
    ...withMoney('amount', message['amount']),
    // `optional` in the proto; absent or empty means no bonus, as for every string of a gRPC request.
    ...(bonusGrantId === undefined || bonusGrantId === null || bonusGrantId === ''
      ? {}
      : { bonus_grant_id: bonusGrantId }),
    ...(entitlementId === undefined || entitlementId === null || entitlementId === ''
      ? {}
      : { entitlement_id: entitlementId }),
  };
}

export function settleBetBodyOf(message: DecodedMessage): Record<string, unknown> {
  return { bet_id: message['bet_id'], round_id: message['round_id'], ...withMoney('win', message['win']) };
}

export function rollbackBetBodyOf(message: DecodedMessage): Record<string, unknown> {
  return { bet_id: message['bet_id'], reason: message['reason'] };
}

function withMoney(field: string, value: unknown): Record<string, MoneyJson> {
  if (typeof value !== 'object' || value === null) return {};
  const money = value as Readonly<Record<string, unknown>>;
  return { [field]: { minor_units: money['minor_units'], currency: money['currency'] } };
}
