import PDFDocument from 'pdfkit';

import { ALL_GAMES, type GgrLine, type GgrReport } from '@pitboss/reconciliation-domain';

const COLUMNS: { title: string; width: number; value: (line: GgrLine) => string }[] = [
  { title: 'Game', width: 120, value: (l) => l.gameId },
  { title: 'Cur', width: 34, value: (l) => l.currency },
  { title: 'Bets', width: 44, value: (l) => String(l.bets) },
  { title: 'Stakes', width: 62, value: (l) => amount(l.stakes) },
  { title: 'Wins', width: 62, value: (l) => amount(l.wins) },
  { title: 'GGR', width: 62, value: (l) => amount(l.ggr) },
  { title: 'Bonus cost', width: 58, value: (l) => amount(l.bonusCost) },
  { title: 'NGR', width: 62, value: (l) => amount(l.ngr) },
  { title: 'RTP', width: 50, value: (l) => (l.rtp === null ? '-' : `${(l.rtp * 100).toFixed(2)} %`) },
];
const MAX_ROWS = 38;

/**
 * The one-page PDF summary of a day (pdfkit, its built-in Helvetica): the tenant and day, each currency's totals,
 * then the table of games (the largest by stakes when they do not fit on the page; the CSV has every line).
 */
export function ggrPdf(report: GgrReport, generatedAt = new Date()): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margin: 36,
    info: { Title: `GGR ${report.tenantId} ${report.date}` },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  doc.font('Helvetica-Bold').fontSize(18).text(`GGR / NGR report — ${report.tenantId}`);
  doc
    .font('Helvetica')
    .fontSize(10)
    .fillColor('#444')
    .text(
      `Day ${report.date} (UTC), from the reconciliation mirror ledger. Generated ${generatedAt.toISOString()}.`,
    )
    .text('Amounts in minor units of their currency. GGR = stakes − wins; NGR = GGR − bonus cost.');
  doc.moveDown();

  const totals = report.lines.filter((l) => l.gameId === ALL_GAMES);
  doc.fillColor('#000').font('Helvetica-Bold').fontSize(12).text('Totals');
  doc.font('Helvetica').fontSize(10);
  if (totals.length === 0) doc.text('No movements that day.');
  for (const t of totals)
    doc.text(
      `${t.currency}: stakes ${amount(t.stakes)}, wins ${amount(t.wins)}, GGR ${amount(t.ggr)}, ` +
        `bonus cost ${amount(t.bonusCost)}, NGR ${amount(t.ngr)}, RTP ${t.rtp === null ? '-' : `${(t.rtp * 100).toFixed(2)} %`}`,
    );
  doc.moveDown();

  const games = report.lines.filter((l) => l.gameId !== ALL_GAMES).sort((a, b) => b.stakes - a.stakes);
  doc.font('Helvetica-Bold').fontSize(12).text('By game');
  row(
    doc,
    COLUMNS.map((c) => c.title),
    true,
  );
  for (const line of games.slice(0, MAX_ROWS))
    row(
      doc,
      COLUMNS.map((c) => c.value(line)),
      false,
    );
  if (games.length > MAX_ROWS)
    doc
      .font('Helvetica-Oblique')
      .fontSize(8)
      .text(`… and ${games.length - MAX_ROWS} more games (see the CSV).`, 36);
  doc.end();
  return done;
}

function row(doc: PDFKit.PDFDocument, cells: string[], header: boolean): void {
  const y = doc.y;
  let x = 36;
  doc.font(header ? 'Helvetica-Bold' : 'Helvetica').fontSize(8);
  const widths = COLUMNS.map((column) => column.width);
  cells.forEach((cell, i) => {
    const width = widths.at(i) ?? 50;
    doc.text(cell, x, y, {
      width: width - 4,
      lineBreak: false,
      ellipsis: true,
      align: i < 2 ? 'left' : 'right',
    });
    x += width;
  });
  doc.y = y + 13;
  doc.x = 36;
}

function amount(minorUnits: number): string {
  return minorUnits.toLocaleString('en-US');
}
