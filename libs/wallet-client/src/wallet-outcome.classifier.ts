import {
  type Money,
  type StakeFunding,
  type WalletBalance,
  type WalletOutcome,
  type WalletRejectionCode,
  type WalletRollbackResult,
  type WalletTransactionResult,
} from './wallet-port';

/**
 * Turns what came back from the wallet into one of the three outcomes (see README.md): a definitive answer
 * only when the wallet said so in a form we understand; anything else is uncertain, because money may have moved.
 */
const REJECTION_CODES: ReadonlySet<string> = new Set<WalletRejectionCode>([
  'INSUFFICIENT_FUNDS',
  'PLAYER_BLOCKED',
  'PLAYER_NOT_FOUND',
  'CURRENCY_MISMATCH',
  'IDEMPOTENCY_MISMATCH',
  'TRANSACTION_ROLLED_BACK',
  'INVALID_REQUEST',
]);

/** Reads a 2xx body into the result type, or `undefined` when it does not have the contract's shape. */
export type OkBodyParser<T> = (body: unknown) => T | undefined;

export function outcomeOfResponse<T>(
  status: number,
  body: unknown,
  parseOk: OkBodyParser<T>,
): WalletOutcome<T> {
  if (status >= 200 && status < 300) {
    const value = parseOk(body);
    return value === undefined ? uncertain('unparseable_response', true) : { kind: 'ok', value };
  }
  if (status >= 400 && status < 500) {
    const error = record(record(body)?.['error']);
    const code = error?.['code'];
    if (typeof code === 'string' && REJECTION_CODES.has(code)) {
      const balance = money(error?.['balance']);
      return {
        kind: 'rejected',
        code: code as WalletRejectionCode,
        message: typeof error?.['message'] === 'string' ? error['message'] : code,
        ...(balance === undefined ? {} : { balance }),
      };
    }
  }
  // 5xx, an unknown 4xx (rate limit, proxy error page...), 3xx: nothing definitive was said.
  return uncertain(`http_${status}`, true);
}

// Errors raised before the request could have reached the wallet: no money can have moved.
const UNDELIVERED = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** A call that threw: connection refused is provably undelivered; a timeout or a lost socket may have committed. */
export function outcomeOfError(error: unknown, timedOut: boolean): WalletOutcome<never> {
  if (timedOut) return uncertain('timeout', true);
  const codes = errorCodes(error);
  const undelivered = codes.find((code) => UNDELIVERED.has(code));
  if (undelivered !== undefined)
    return uncertain(
      undelivered === 'ECONNREFUSED' ? 'connection_refused' : `connect_failed:${undelivered}`,
      false,
    );
  if (codes.some((code) => code.includes('TIMEOUT'))) return uncertain('timeout', true);
  return uncertain(codes[0] === undefined ? 'connection_lost' : `connection_lost:${codes[0]}`, true);
}

function uncertain(cause: string, delivered: boolean): WalletOutcome<never> {
  return { kind: 'uncertain', cause, delivered };
}

/** Error codes along the `cause` chain (undici wraps the socket's error) and inside AggregateErrors. */
function errorCodes(error: unknown, depth = 0): string[] {
  const value = record(error);
  if (value === undefined || depth > 5) return [];
  const own = typeof value['code'] === 'string' ? [value['code']] : [];
  const nested = Array.isArray(value['errors'])
    ? value['errors'].flatMap((item) => errorCodes(item, depth + 1))
    : [];
  return [...own, ...nested, ...errorCodes(value['cause'], depth + 1)];
}

function record(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
}

export function money(value: unknown): Money | undefined {
  const item = record(value);
  const minorUnits = item?.['minor_units'];
  const currency = item?.['currency'];
  if (typeof minorUnits !== 'number' || !Number.isSafeInteger(minorUnits) || typeof currency !== 'string')
    return undefined;
  return { minor_units: minorUnits, currency };
}

const FUNDINGS: ReadonlySet<unknown> = new Set<StakeFunding>(['cash', 'bonus', 'mixed']);

/**
 * The movement's result; the bonus fields (bonus balance, funding of a grant-named stake, converted, forfeited)
 * only when the wallet sent them. A funding the contract does not know makes the answer unparseable (uncertain).
 */
export const parseTransactionResult: OkBodyParser<WalletTransactionResult> = (body) => {
  const fields = record(body);
  const transactionId = fields?.['transaction_id'];
  const balance = money(fields?.['balance']);
  if (typeof transactionId !== 'string' || balance === undefined) return undefined;
  const funding = fields?.['funding'];
  if (funding !== undefined && !FUNDINGS.has(funding)) return undefined;
  const funded = record(fields?.['funded']);
  const fundedCash = money(funded?.['cash']);
  const fundedBonus = money(funded?.['bonus']);
  const optional = {
    bonusBalance: money(fields?.['bonus_balance']),
    funding: funding as StakeFunding | undefined,
    funded: fundedCash && fundedBonus ? { cash: fundedCash, bonus: fundedBonus } : undefined,
    converted: money(fields?.['converted']),
    forfeited: money(fields?.['forfeited']),
  };
  return {
    transactionId,
    balance,
    ...Object.fromEntries(Object.entries(optional).filter(([, value]) => value !== undefined)),
  };
};

export const parseRollbackResult: OkBodyParser<WalletRollbackResult> = (body) => {
  const transactionId = record(body)?.['transaction_id'];
  const status = record(body)?.['status'];
  const balance = money(record(body)?.['balance']);
  if (typeof transactionId !== 'string') return undefined;
  if (status === 'not_found') return { transactionId, status, ...(balance === undefined ? {} : { balance }) };
  if (status === 'rolled_back' && balance !== undefined) return { transactionId, status, balance };
  return undefined;
};

export const parseBalance: OkBodyParser<WalletBalance> = (body) => {
  const cash = money(record(body)?.['cash']);
  const bonus = money(record(body)?.['bonus']);
  if (cash === undefined || bonus === undefined) return undefined;
  const rawGrants = record(body)?.['grants'];
  const grants = (Array.isArray(rawGrants) ? rawGrants : []).flatMap((item: unknown) => {
    const grantId = record(item)?.['grant_id'];
    const funds = money(record(item)?.['bonus']);
    return typeof grantId === 'string' && funds !== undefined ? [{ grantId, bonus: funds }] : [];
  });
  return grants.length === 0 ? { cash, bonus } : { cash, bonus, grants };
};
