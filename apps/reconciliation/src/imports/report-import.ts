import { randomUUID } from 'node:crypto';
import { type Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

import { parse } from 'csv-parse';
import { type Pool } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

import { type WalletReportRow } from '@pitboss/reconciliation-domain';

import { type Ledger } from '../run/mirror-queries';
import { REQUIRED_COLUMNS, reportRowOf, WalletReportError } from '../run/wallet-report.source';
import { PSP_REQUIRED_COLUMNS, pspRowOf } from './psp-report';

export interface ImportRequest {
  readonly tenantId: string;
  readonly date: string;
  readonly ledger: Ledger;
  /** Who uploaded it (the token's client), kept on the import. */
  readonly importedBy: string;
}

export interface ImportResult {
  readonly importId: string;
  readonly rows: number;
}

/**
 * Streams an uploaded report (CSV) into `imported_report_rows` with COPY: csv-parse reads it record by record,
 * each is checked as the daily run would check it and written as one COPY text line, so memory stays flat
 * whatever the size and the rows load at COPY speed. One transaction: an unreadable line (WalletReportError)
 * leaves nothing behind.
 */
export async function importReport(
  pool: Pool,
  request: ImportRequest,
  body: Readable,
): Promise<ImportResult> {
  const importId = randomUUID();
  const client = await pool.connect();
  let rows = 0;
  try {
    await client.query('BEGIN');
    await client.query(
      `INSERT INTO report_imports (import_id, tenant_id, report_date, ledger, row_count, imported_by)
       VALUES ($1, $2, $3, $4, 0, $5)`,
      [importId, request.tenantId, request.date, request.ledger, request.importedBy],
    );
    const required = request.ledger === 'psp' ? PSP_REQUIRED_COLUMNS : REQUIRED_COLUMNS;
    let line = 1;
    const toCopyLines = new Transform({
      objectMode: true,
      transform(record: Record<string, string>, _encoding, done) {
        line += 1;
        try {
          if (line === 2) {
            const missing = required.filter((column) => !(column in record));
            if (missing.length > 0)
              throw new WalletReportError(`the report lacks columns ${missing.join(', ')}`);
          }
          const row =
            request.ledger === 'psp' ? pspRowOf(request.tenantId, record, line) : reportRowOf(record, line);
          rows += 1;
          done(null, copyLine(importId, line, row));
        } catch (error) {
          done(error as Error);
        }
      },
    });
    await pipeline(
      body,
      parse({ columns: true, skip_empty_lines: true, bom: true }),
      toCopyLines,
      client.query(
        copyFrom(`COPY imported_report_rows (import_id, line, transaction_key, kind, amount_minor_units, currency,
          player_id, booked_at) FROM STDIN`),
      ),
    );
    await client.query('UPDATE report_imports SET row_count = $2 WHERE import_id = $1', [importId, rows]);
    await client.query('COMMIT');
    return { importId, rows };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error instanceof WalletReportError || isCsvError(error)
      ? new WalletReportError((error as Error).message)
      : error;
  } finally {
    client.release();
  }
}

/** The imported report's rows in file order, a page at a time (what a run from an import reads). */
export async function* importedRows(
  pool: Pool,
  importId: string,
  pageSize: number,
): AsyncGenerator<WalletReportRow> {
  let afterLine = 0;
  for (;;) {
    const { rows } = await pool.query<Record<string, unknown>>(
      `SELECT line, transaction_key, kind, amount_minor_units, currency, player_id, booked_at
         FROM imported_report_rows WHERE import_id = $1 AND line > $2 ORDER BY line LIMIT $3`,
      [importId, afterLine, pageSize],
    );
    if (rows.length === 0) return;
    for (const row of rows)
      yield {
        transactionKey: row['transaction_key'] as string,
        kind: row['kind'] as WalletReportRow['kind'],
        minorUnits: Number(row['amount_minor_units']),
        currency: row['currency'] as string,
        playerId: row['player_id'] as string,
        bookedAt: (row['booked_at'] as Date).getTime(),
      };
    afterLine = Number(rows[rows.length - 1]?.['line']);
  }
}

/** PostgreSQL COPY text format: tab-separated, with backslash, tab and line breaks escaped. */
function copyLine(importId: string, line: number, row: WalletReportRow): string {
  const fields = [
    importId,
    String(line),
    row.transactionKey,
    row.kind,
    String(row.minorUnits),
    row.currency,
    row.playerId,
    new Date(row.bookedAt).toISOString(),
  ];
  return `${fields.map(escapeCopy).join('\t')}\n`;
}

const COPY_ESCAPES = new Map([
  ['\\', '\\\\'],
  ['\t', '\\t'],
  ['\n', '\\n'],
  ['\r', '\\r'],
]);

function escapeCopy(value: string): string {
  return value.replace(/[\\\t\n\r]/g, (c) => COPY_ESCAPES.get(c) ?? c);
}

function isCsvError(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    String((error as { code?: unknown }).code).startsWith('CSV_')
  );
}
