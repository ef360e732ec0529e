import { createTestSchema, type TestSchema } from '@pitboss/testing';

import { walletSandboxMigrations } from './migrations/wallet-sandbox-migrations';
import { WalletSandbox } from './wallet-sandbox';

const ADMIN_TOKEN = 'test-admin';
const eur = (minor_units: number) => ({ minor_units, currency: 'EUR' });
const today = new Date().toISOString().slice(0, 10);

describe('wallet sandbox transaction report', () => {
  let schema: TestSchema;
  let sut: WalletSandbox;

  beforeAll(async () => {
    schema = await createTestSchema(walletSandboxMigrations, 'wsr');
    sut = await WalletSandbox.start(
      {
        databaseUrl: schema.databaseUrl,
        schema: schema.schema,
        host: '127.0.0.1',
        apiPort: 0,
        adminPort: 0,
        adminToken: ADMIN_TOKEN,
        maxConnections: 5,
      },
      () => undefined,
    );
  });

  afterAll(async () => {
    await sut?.stop();
    await schema?.drop();
  });

  async function admin(method: string, path: string, body?: unknown) {
    const response = await fetch(`${sut.adminUrl}${path}`, {
      method,
      headers: { 'x-admin-token': ADMIN_TOKEN, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, text: await response.text() };
  }

  async function wallet(operation: string, key: string, body: unknown) {
    const response = await fetch(`${sut.apiUrl}/v1/wallet/${operation}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-idempotency-key': key },
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(200);
  }

  async function report(tenant: string, date = today) {
    const { status, text } = await admin(
      'GET',
      `/admin/reports/transactions?tenant_id=${tenant}&date=${date}`,
    );
    expect(status).toBe(200);
    const [header, ...lines] = text.trimEnd().split('\r\n');
    return { header, rows: lines.map((line) => line.split(',')) };
  }

  it('given debits and credits, when the report is asked, then it lists each ledger entry of the day as CSV', async () => {
    await admin('POST', '/admin/accounts', {
      tenant_id: 'r1',
      player_id: 'p1',
      currency: 'EUR',
      cash_minor_units: 1000,
    });
    await wallet('debit', 'bet:r1:b1:debit', {
      tenant_id: 'r1',
      player_id: 'p1',
      bet_id: 'b1',
      round_id: 'r',
      amount: eur(100),
    });
    await wallet('credit', 'bet:r1:b1:credit', {
      tenant_id: 'r1',
      player_id: 'p1',
      bet_id: 'b1',
      round_id: 'r',
      amount: eur(250),
    });

    const { header, rows } = await report('r1');

    expect(header).toBe(
      'transaction_id,kind,amount_minor_units,currency,player_id,booked_at,bet_id,round_id,entry_id',
    );
    expect(rows.map((row) => row.slice(0, 5))).toEqual([
      ['bet:r1:b1:debit', 'debit', '100', 'EUR', 'p1'],
      ['bet:r1:b1:credit', 'credit', '250', 'EUR', 'p1'],
    ]);
    expect(rows[0]?.[5]?.slice(0, 10)).toBe(today);
    expect((await report('r1', '2001-01-01')).rows).toEqual([]);
  });

  it('given injected discrepancies, when the report is asked, then it drops, duplicates, re-prices, re-dates and adds entries', async () => {
    await admin('POST', '/admin/accounts', {
      tenant_id: 'r2',
      player_id: 'p1',
      currency: 'EUR',
      cash_minor_units: 1000,
    });
    for (const bet of ['b1', 'b2', 'b3', 'b4'])
      await wallet('debit', `bet:r2:${bet}:debit`, {
        tenant_id: 'r2',
        player_id: 'p1',
        bet_id: bet,
        amount: eur(10),
      });
    const override = (body: object) => admin('PUT', '/admin/reports/overrides', { tenant_id: 'r2', ...body });
    expect((await override({ transaction_id: 'bet:r2:b1:debit', drop: true })).status).toBe(200);
    expect((await override({ transaction_id: 'bet:r2:b2:debit', duplicate: true })).status).toBe(200);
    expect((await override({ transaction_id: 'bet:r2:b3:debit', amount_minor_units: 11 })).status).toBe(200);
    expect(
      (await override({ transaction_id: 'bet:r2:b4:debit', booked_at: '2001-01-01T10:00:00Z' })).status,
    ).toBe(200);
    const adjusted = await admin('POST', '/admin/adjustments', {
      tenant_id: 'r2',
      player_id: 'p1',
      kind: 'credit',
      amount_minor_units: 5,
    });
    expect(adjusted.status).toBe(200);
    const adjustmentId = (JSON.parse(adjusted.text) as { transaction_id: string }).transaction_id;

    const { rows } = await report('r2');

    expect(rows.map((row) => [row[0], row[2]])).toEqual([
      ['bet:r2:b2:debit', '10'],
      ['bet:r2:b2:debit', '10'],
      ['bet:r2:b3:debit', '11'],
      [adjustmentId, '5'],
    ]);
    expect((await report('r2', '2001-01-01')).rows.map((row) => row[0])).toEqual(['bet:r2:b4:debit']);
    expect((await override({ transaction_id: 'nope' })).status).toBe(404);
  });

  it('given a bad date or no tenant, when the report is asked, then INVALID_REQUEST', async () => {
    expect((await admin('GET', '/admin/reports/transactions?tenant_id=r1&date=2026-02-30')).status).toBe(400);
    expect((await admin('GET', `/admin/reports/transactions?date=${today}`)).status).toBe(400);
  });
});
