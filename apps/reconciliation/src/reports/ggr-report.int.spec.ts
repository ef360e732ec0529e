import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { type EventEnvelope, TOPICS } from '@pitboss/contracts';
import { eventStoreMigrations, PostgresEventStore } from '@pitboss/event-store';
import { createTestSchema, type TestSchema, testEnvelope } from '@pitboss/testing';

import { mirrorEvent } from '../mirror/mirror-ledger.consumer';
import { reconciliationMigrations } from '../reconciliation-migrations';
import { ggrCsv } from './ggr-csv';
import { ggrPdf } from './ggr-pdf';
import { ggrReportOf } from './ggr-queries';

const TENANT = 'brand-report';
const DATE = '2026-03-10';
const AT = Date.parse(`${DATE}T12:00:00.000Z`);
const eur = (minor_units: number) => ({ minor_units, currency: 'EUR' });

const envelope = (eventType: string, payload: Record<string, unknown>): EventEnvelope =>
  testEnvelope({ eventType, tenantId: TENANT, playerId: 'p-1', payload, occurredAt: AT });

const authorized = (bet_id: string, game_id: string, stake: number) =>
  envelope('bet.authorized', {
    bet_id,
    game_id,
    game_type: 'slot',
    amount: eur(stake),
    bonus_grant_id: null,
    wallet_transaction_id: 'w',
    balance_after: null,
    math_version: null,
    country: null,
    provider: null,
    funded_by: null,
  });
const settled = (bet_id: string, win: number) =>
  envelope('bet.settled', {
    bet_id,
    win: eur(win),
    wallet_transaction_id: 'w',
    stake: null,
    // Null until settle-worker fills it: the report takes the debit's game.
    game_id: null,
    game_type: null,
    provider: null,
    bonus_grant_id: null,
    entitlement_id: null,
    funded_by: null,
    math_version: null,
  });

/** Installs Debian's poppler-utils (pdfinfo, pdftoppm, pdftotext) when missing: a clean CI machine has none. */
function ensurePoppler(): void {
  execFileSync(
    'bash',
    [
      join(__dirname, '../../../../tools/debian/ensure-packages.sh'),
      'reports',
      'pdfinfo=poppler-utils',
      'pdftoppm=poppler-utils',
      'pdftotext=poppler-utils',
    ],
    {
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
}

/**
 * The GGR / NGR report of a day from a mirror fed through the consumer's own code path (real Postgres), as CSV
 * and as a PDF that poppler renders to an image (non-blank pixels) and reads back as text (tenant and totals).
 */
describe('GGR / NGR report (mirror ledger, pdfkit, poppler)', () => {
  let db: TestSchema;
  let dir: string;

  beforeAll(async () => {
    db = await createTestSchema([...eventStoreMigrations, ...reconciliationMigrations], 'recongg');
    dir = mkdtempSync(join(tmpdir(), 'recon-ggr-'));
    const deps = { pool: db.pool, eventStore: new PostgresEventStore({ region: 'local' }) };
    const events = [
      authorized('b1', 'starburst', 1_000),
      settled('b1', 2_500),
      authorized('b2', 'starburst', 3_000),
      settled('b2', 0),
      authorized('b3', 'book-of-dead', 500),
      envelope('bet.rolled_back', {
        bet_id: 'b3',
        amount: eur(500),
        reason: 'cancelled',
        game_id: 'book-of-dead',
        game_type: 'slot',
        provider: null,
        bonus_grant_id: null,
        entitlement_id: null,
        funded_by: null,
        math_version: null,
      }),
      authorized('b4', 'book-of-dead', 2_000),
      envelope('bonus.converted', { grant_id: 'g1', converted: eur(700), wallet_transaction_id: 'w' }),
    ];
    for (const event of events)
      await mirrorEvent(
        deps,
        event,
        event.event_type.startsWith('bonus') ? TOPICS.promoGrants.name : TOPICS.rounds.name,
      );
  }, 60_000);

  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await db?.drop();
  });

  it('given a day of bets, a rollback and a conversion, then the CSV has each game and the ALL line with the NGR', async () => {
    const csv = ggrCsv(await ggrReportOf(db.pool, TENANT, DATE));

    expect(csv.split('\r\n')).toEqual([
      'tenant_id,date,game_id,currency,bets,stakes_minor_units,wins_minor_units,ggr_minor_units,bonus_cost_minor_units,ngr_minor_units,rtp',
      `${TENANT},${DATE},book-of-dead,EUR,2,2000,0,2000,0,2000,0.000000`,
      `${TENANT},${DATE},starburst,EUR,2,4000,2500,1500,0,1500,0.625000`,
      `${TENANT},${DATE},ALL,EUR,4,6000,2500,3500,700,2800,0.416667`,
      '',
    ]);
  });

  it('given the report as PDF, when poppler renders it, then the page has ink and its text names the tenant and totals', async () => {
    ensurePoppler();
    const pdf = await ggrPdf(await ggrReportOf(db.pool, TENANT, DATE));
    const file = join(dir, 'ggr.pdf');
    writeFileSync(file, pdf);

    const pages = execFileSync('pdfinfo', [file]).toString();
    expect(pages).toMatch(/Pages:\s+1\n/);
    execFileSync('pdftoppm', ['-gray', '-r', '50', '-singlefile', file, join(dir, 'page')]);
    const { width, height, pixels } = readPgm(readFileSync(join(dir, 'page.pgm')));
    const ink = pixels.filter((value) => value < 128).length;
    expect(width * height).toBeGreaterThan(100_000);
    expect(ink).toBeGreaterThan(500);

    const text = execFileSync('pdftotext', ['-layout', file, '-']).toString();
    expect(text).toContain(TENANT);
    expect(text).toContain(DATE);
    expect(text).toMatch(/EUR: stakes 6,000, wins 2,500, GGR 3,500, bonus cost 700, NGR 2,800, RTP 41\.67 %/);
    expect(text).toContain('starburst');
  }, 600_000); // long only on a machine without poppler-utils: apt-get installs it first
});

/** A binary PGM (P5, 8-bit) as its size and grey values. */
function readPgm(buffer: Buffer): { width: number; height: number; pixels: Uint8Array } {
  const header = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(buffer.subarray(0, 64).toString('latin1'));
  if (!header) throw new Error('not a binary PGM');
  const width = Number(header[1]);
  const height = Number(header[2]);
  return { width, height, pixels: new Uint8Array(buffer.subarray(header[0].length)) };
}
