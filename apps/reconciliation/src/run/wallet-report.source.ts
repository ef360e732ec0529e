import { Readable } from 'node:stream';
import { type ReadableStream } from 'node:stream/web';

import { parse } from 'csv-parse';

import { MOVEMENT_KINDS, type MovementKind, type WalletReportRow } from '@pitboss/reconciliation-domain';

/** The columns every wallet report must have (docs/reconciliation.md); others are ignored. */
export const REQUIRED_COLUMNS = [
  'transaction_id',
  'kind',
  'amount_minor_units',
  'currency',
  'player_id',
  'booked_at',
];

/** The kinds a wallet report may hold (deposits are on the PSP's report). */
const WALLET_KINDS: readonly MovementKind[] = MOVEMENT_KINDS.filter((kind) => kind !== 'deposit');

/** A report that cannot be read: the run fails and records nothing. */
export class WalletReportError extends Error {}

/**
 * The wallet's transaction report of one tenant and day, fetched and parsed as a stream (csv-parse): rows are
 * yielded as they arrive, so memory does not grow with the report.
 */
export async function* walletReportRows(
  baseUrl: string,
  token: string,
  tenantId: string,
  date: string,
): AsyncGenerator<WalletReportRow> {
  const url = new URL('/admin/reports/transactions', baseUrl);
  url.searchParams.set('tenant_id', tenantId);
  url.searchParams.set('date', date);
  const response = await fetch(url, { headers: token ? { 'x-admin-token': token } : {} });
  if (!response.ok || !response.body)
    throw new WalletReportError(`wallet report ${url.pathname} answered ${response.status}`);
  const parser = Readable.fromWeb(response.body as ReadableStream).pipe(
    parse({ columns: true, skip_empty_lines: true }),
  );
  let line = 1;
  for await (const record of parser as AsyncIterable<Record<string, string>>) {
    line += 1;
    if (line === 2) {
      const missing = REQUIRED_COLUMNS.filter((column) => !(column in record));
      if (missing.length > 0)
        throw new WalletReportError(`wallet report lacks columns ${missing.join(', ')}`);
    }
    yield reportRowOf(record, line);
  }
}

export function reportRowOf(record: Record<string, string>, line: number): WalletReportRow {
  const kind = record['kind'] as MovementKind;
  const minorUnits = Number(record['amount_minor_units']);
  const bookedAt = Date.parse(record['booked_at'] ?? '');
  if (!WALLET_KINDS.includes(kind)) throw new WalletReportError(`line ${line}: unknown kind "${kind}"`);
  if (!/^\d+$/.test(record['amount_minor_units'] ?? '') || !Number.isSafeInteger(minorUnits))
    throw new WalletReportError(`line ${line}: amount_minor_units is not a non-negative integer`);
  if (Number.isNaN(bookedAt)) throw new WalletReportError(`line ${line}: booked_at is not an ISO-8601 time`);
  return {
    transactionKey: record['transaction_id'] ?? '',
    kind,
    minorUnits,
    currency: record['currency'] ?? '',
    playerId: record['player_id'] ?? '',
    bookedAt,
  };
}
