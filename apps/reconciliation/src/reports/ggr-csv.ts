import { type GgrReport } from '@pitboss/reconciliation-domain';

export const GGR_CSV_COLUMNS = [
  'tenant_id',
  'date',
  'game_id',
  'currency',
  'bets',
  'stakes_minor_units',
  'wins_minor_units',
  'ggr_minor_units',
  'bonus_cost_minor_units',
  'ngr_minor_units',
  'rtp',
] as const;

/** The report as RFC 4180 CSV (docs/reconciliation.md): a header, one line per game and currency, then ALL. */
export function ggrCsv(report: GgrReport): string {
  const lines = report.lines.map((line) =>
    [
      report.tenantId,
      report.date,
      line.gameId,
      line.currency,
      line.bets,
      line.stakes,
      line.wins,
      line.ggr,
      line.bonusCost,
      line.ngr,
      line.rtp === null ? '' : line.rtp.toFixed(6),
    ]
      .map((value) => csvField(String(value)))
      .join(','),
  );
  return [GGR_CSV_COLUMNS.join(','), ...lines].map((line) => `${line}\r\n`).join('');
}

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
