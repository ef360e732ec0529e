import { type ReceiptView } from './wagering-queries';

const COLUMNS = [
  'seq',
  'bet_id',
  'bet_at',
  'stake_minor',
  'currency',
  'game_id',
  'provider',
  'game_type',
  'funded_by',
  'schema_id',
  'schema_version',
  'rule',
  'pct_bp',
  'contribution_minor',
  'reason',
  'rolled_back',
] as const;

/** The receipts as CSV (RFC 4180: a header line, CRLF, fields quoted when they hold a comma, quote or newline). */
export function receiptsCsv(receipts: readonly ReceiptView[]): string {
  const lines = receipts.map((receipt) =>
    [
      receipt.seq,
      receipt.bet_id,
      receipt.bet_at,
      receipt.stake.minor_units,
      receipt.stake.currency,
      receipt.game_id,
      receipt.provider,
      receipt.game_type,
      receipt.funded_by,
      receipt.schema_id,
      receipt.schema_version,
      receipt.rule,
      receipt.pct_bp,
      receipt.contribution_minor,
      receipt.reason,
      receipt.rolled_back,
    ]
      .map(field)
      .join(','),
  );
  return [COLUMNS.join(','), ...lines].join('\r\n') + '\r\n';
}

function field(value: string | number | boolean | null): string {
  if (value === null) return '';
  const text = String(value);
  // A leading = + - @ would be a formula in a spreadsheet: quoted with a ' so it reads as text.
  const safe = /^[=+\-@]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
