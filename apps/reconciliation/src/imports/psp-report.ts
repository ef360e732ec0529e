import { type WalletReportRow } from '@pitboss/reconciliation-domain';

import { depositKey } from '../mirror/expected-movement.mapper';
import { WalletReportError } from '../run/wallet-report.source';

/** The columns every PSP deposit report must have (docs/reconciliation.md); others are ignored. */
export const PSP_REQUIRED_COLUMNS = [
  'deposit_id',
  'amount_minor_units',
  'currency',
  'player_id',
  'captured_at',
];

/** One PSP report line as a report row keyed like the mirror's deposit (`deposit:<tenant>:<deposit_id>`). */
export function pspRowOf(tenantId: string, record: Record<string, string>, line: number): WalletReportRow {
  const depositId = record['deposit_id'] ?? '';
  const minorUnits = Number(record['amount_minor_units']);
  const capturedAt = Date.parse(record['captured_at'] ?? '');
  if (depositId === '') throw new WalletReportError(`line ${line}: deposit_id is empty`);
  if (!/^\d+$/.test(record['amount_minor_units'] ?? '') || !Number.isSafeInteger(minorUnits))
    throw new WalletReportError(`line ${line}: amount_minor_units is not a non-negative integer`);
  if (Number.isNaN(capturedAt))
    throw new WalletReportError(`line ${line}: captured_at is not an ISO-8601 time`);
  return {
    transactionKey: depositKey(tenantId, depositId),
    kind: 'deposit',
    minorUnits,
    currency: record['currency'] ?? '',
    playerId: record['player_id'] ?? '',
    bookedAt: capturedAt,
  };
}
