import { createTestSchema, type TestSchema } from '@pitboss/testing';

import { walletSandboxMigrations } from './migrations/wallet-sandbox-migrations';
import { WalletSandbox } from './wallet-sandbox';

const ADMIN_TOKEN = 'test-admin';
const eur = (minor_units: number) => ({ minor_units, currency: 'EUR' });

describe(WalletSandbox.name, () => {
  let schema: TestSchema;
  let sut: WalletSandbox;
  let seq = 0;

  beforeAll(async () => {
    schema = await createTestSchema(walletSandboxMigrations, 'ws');
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

  async function admin(method: string, path: string, body?: unknown, token = ADMIN_TOKEN) {
    const response = await fetch(`${sut.adminUrl}${path}`, {
      method,
      headers: { 'x-admin-token': token, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  async function wallet(operation: string, key: string | undefined, body: unknown) {
    const response = await fetch(`${sut.apiUrl}/v1/wallet/${operation}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(key === undefined ? {} : { 'x-idempotency-key': key }),
      },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    return {
      status: response.status,
      text: await response.text(),
      replayed: response.headers.get('idempotent-replayed'),
    };
  }

  async function account(fields: Record<string, unknown> = {}) {
    const player_id = `p${++seq}`;
    const { status } = await admin('POST', '/admin/accounts', {
      tenant_id: 't',
      player_id,
      currency: 'EUR',
      cash_minor_units: 1_000,
      ...fields,
    });
    expect(status).toBe(200);
    return player_id;
  }

  it('replays the first answer byte for byte for a repeated key', async () => {
    const player_id = await account();
    const body = { tenant_id: 't', player_id, amount: eur(100), bet_id: 'b1' };
    const first = await wallet('debit', 'k1', body);
    const again = await wallet('debit', 'k1', { bet_id: 'b1', amount: eur(100), player_id, tenant_id: 't' });
    expect(first).toMatchObject({ status: 200, replayed: null });
    expect(again).toEqual({ ...first, replayed: 'true' });
  });

  it('given one key sent eight times while its account is locked, money moves once and all answer alike', async () => {
    const player_id = await account();
    const body = { tenant_id: 't', player_id, amount: eur(100), bet_id: 'b-race' };
    // Hold the account row so that all eight read the key before any of them stores it, then let them go: the
    // first moves the money, each of the others is refused by the stored key and answered with it.
    const holder = await schema.pool.connect();
    let answers: Awaited<ReturnType<typeof wallet>>[];
    try {
      await holder.query('BEGIN');
      await holder.query(`SELECT 1 FROM accounts WHERE tenant_id = 't' AND player_id = $1 FOR UPDATE`, [
        player_id,
      ]);
      const racing = Promise.all(Array.from({ length: 8 }, () => wallet('debit', 'k-race', body)));
      await waitForLockWaiters(5);
      await holder.query('COMMIT');
      answers = await racing;
    } finally {
      holder.release();
    }
    expect(answers.filter((answer) => answer.replayed === null)).toHaveLength(1);
    expect(new Set(answers.map((answer) => `${answer.status} ${answer.text}`)).size).toBe(1);
    expect(JSON.parse(answers[0]?.text ?? '')).toMatchObject({ status: 'committed', balance: eur(900) });
    const balance = await fetch(`${sut.apiUrl}/v1/wallet/balance/t/${player_id}`);
    expect(((await balance.json()) as { cash: unknown }).cash).toEqual(eur(900));
  });

  /** Until `count` of the sandbox's connections (its pool holds 5) wait on an account's row lock. */
  async function waitForLockWaiters(count: number) {
    for (let waited = 0; waited < 5_000; waited += 20) {
      const { rows } = await schema.pool.query(
        `SELECT count(*)::int AS waiting FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%accounts%'
           AND datname = current_database()`,
      );
      if ((rows[0] as { waiting: number }).waiting >= count) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`fewer than ${count} requests waited on the account lock`);
  }

  it.each([
    ['a float amount', { minor_units: 1.5, currency: 'EUR' }],
    ['a string amount', { minor_units: '150', currency: 'EUR' }],
    ['a lower-case currency', { minor_units: 150, currency: 'eur' }],
  ])('refuses %s with 400 INVALID_REQUEST', async (_, amount) => {
    const player_id = await account();
    const answer = await wallet('debit', `bad-${seq}`, { tenant_id: 't', player_id, amount });
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.text)).toEqual({
      error: { code: 'INVALID_REQUEST', message: expect.any(String), retryable: false },
    });
  });

  it('requires the idempotency key', async () => {
    const player_id = await account();
    expect((await wallet('credit', undefined, { tenant_id: 't', player_id, amount: eur(1) })).status).toBe(
      400,
    );
  });

  it.each([
    ['an unknown player', {}, 'nobody', 'EUR', 404, 'PLAYER_NOT_FOUND'],
    ['a blocked player', { blocked: true }, undefined, 'EUR', 403, 'PLAYER_BLOCKED'],
    ['another currency', {}, undefined, 'USD', 422, 'CURRENCY_MISMATCH'],
  ])('refuses a credit to %s', async (_, fields, playerOverride, currency, status, code) => {
    const created = await account(fields);
    const player_id = playerOverride ?? created;
    const answer = await wallet('credit', `c-${seq}`, {
      tenant_id: 't',
      player_id,
      amount: { minor_units: 5, currency },
    });
    expect(answer.status).toBe(status);
    expect(JSON.parse(answer.text)).toMatchObject({ error: { code, retryable: false } });
  });

  it('books a zero credit as a real ledger entry, once per key, and reverses it once', async () => {
    const player_id = await account({ tenant_id: 'zero' });
    const body = { tenant_id: 'zero', player_id, amount: eur(0), bet_id: 'bz' };
    const ledger = async () =>
      (await admin('GET', `/admin/ledger?tenant_id=zero&player_id=${player_id}`)).body['entries'];

    const credited = await wallet('credit', 'bet:zero:bz:credit', body);
    const again = await wallet('credit', 'bet:zero:bz:credit', body);
    const rollback = { tenant_id: 'zero', player_id, original_transaction_id: 'bet:zero:bz:credit' };
    const reversed = await wallet('rollback', 'rz1', rollback);
    const reversedAgain = await wallet('rollback', 'rz2', rollback);

    expect(credited.status).toBe(200);
    expect(JSON.parse(credited.text)).toEqual({
      transaction_id: 'bet:zero:bz:credit',
      status: 'committed',
      balance: eur(1_000),
    });
    expect(again).toEqual({ ...credited, replayed: 'true' });
    expect(JSON.parse(reversed.text)).toMatchObject({ status: 'rolled_back', balance: eur(1_000) });
    expect(JSON.parse(reversedAgain.text)).toMatchObject({ status: 'rolled_back', balance: eur(1_000) });
    expect(await ledger()).toEqual([
      expect.objectContaining({
        transaction_id: 'bet:zero:bz:credit',
        kind: 'credit',
        amount: eur(0),
        cash_delta_minor_units: 0,
        bet_id: 'bz',
      }),
      expect.objectContaining({
        transaction_id: 'rz1',
        kind: 'rollback',
        amount: eur(0),
        cash_delta_minor_units: 0,
        reverses_transaction_id: 'bet:zero:bz:credit',
      }),
    ]);
  });

  it('refuses to reverse a credit the player has already spent', async () => {
    const player_id = await account({ cash_minor_units: 0 });
    await wallet('credit', 'cr1', { tenant_id: 't', player_id, amount: eur(500) });
    await wallet('debit', 'db1', { tenant_id: 't', player_id, amount: eur(400) });
    const answer = await wallet('rollback', 'rb1', {
      tenant_id: 't',
      player_id,
      original_transaction_id: 'cr1',
    });
    expect(answer.status).toBe(402);
    expect(JSON.parse(answer.text)).toMatchObject({
      error: { code: 'INSUFFICIENT_FUNDS', balance: eur(100) },
    });
  });

  it.each([
    ['a blocked account', { blocked: true }, eur(100), 403, 'PLAYER_BLOCKED'],
    ['an amount in another currency', {}, { minor_units: 100, currency: 'USD' }, 422, 'CURRENCY_MISMATCH'],
    ['a stake over the cash balance', {}, eur(1_001), 402, 'INSUFFICIENT_FUNDS'],
    ['an account that does not exist', undefined, eur(100), 404, 'PLAYER_NOT_FOUND'],
  ])(
    'refuses a debit of %s, stores the refusal and moves nothing',
    async (_, fields, amount, status, code) => {
      const player_id = fields === undefined ? `nobody-${++seq}` : await account(fields);
      const key = `refused-${seq}`;
      const first = await wallet('debit', key, { tenant_id: 't', player_id, amount });
      expect({ status: first.status, code: JSON.parse(first.text).error.code }).toEqual({ status, code });
      expect(await wallet('debit', key, { tenant_id: 't', player_id, amount })).toEqual({
        ...first,
        replayed: 'true',
      });
      const { rows } = await schema.pool.query(
        `SELECT (SELECT count(*)::int FROM ledger_entries WHERE player_id = $1) AS entries,
              (SELECT cash_minor_units::int FROM accounts WHERE player_id = $1) AS cash`,
        [player_id],
      );
      expect(rows[0]).toEqual({ entries: 0, cash: fields === undefined ? null : 1_000 });
    },
  );

  it('keeps the ledger append-only and balances non-negative in the database itself', async () => {
    const player_id = await account();
    await wallet('debit', 'ao1', { tenant_id: 't', player_id, amount: eur(1) });
    await expect(schema.pool.query('UPDATE ledger_entries SET amount_minor_units = 2')).rejects.toThrow(
      /append-only/,
    );
    await expect(schema.pool.query('DELETE FROM ledger_entries')).rejects.toThrow(/append-only/);
    await expect(
      schema.pool.query('UPDATE accounts SET cash_minor_units = -1 WHERE player_id = $1', [player_id]),
    ).rejects.toThrow(/check constraint/);
  });

  it('fixes the currency at account creation, sets balances on a reset and requires the admin token', async () => {
    const player_id = await account({ bonus_minor_units: 50 });
    expect(
      (await admin('POST', '/admin/accounts', { tenant_id: 't', player_id, currency: 'USD' })).status,
    ).toBe(422);
    const reset = await admin('POST', '/admin/accounts', {
      tenant_id: 't',
      player_id,
      currency: 'EUR',
      cash_minor_units: 7,
    });
    expect(reset.body).toMatchObject({ cash: eur(7), bonus: eur(50), created: false });
    expect((await admin('GET', `/admin/accounts/t/${player_id}`, undefined, 'wrong')).status).toBe(401);
  });

  it('goes offline and back while the admin API stays up', async () => {
    const player_id = await account();
    await admin('PUT', '/admin/faults', { offline: true });
    await expect(wallet('debit', 'off1', { tenant_id: 't', player_id, amount: eur(1) })).rejects.toThrow();
    expect((await admin('GET', '/admin/faults')).body).toMatchObject({ offline: true });
    await admin('DELETE', '/admin/faults');
    expect((await wallet('debit', 'off1', { tenant_id: 't', player_id, amount: eur(1) })).status).toBe(200);
  });

  it('counts and sums the ledger per kind', async () => {
    const player_id = await account({ tenant_id: 'totals' });
    await wallet('debit', 'tt1', { tenant_id: 'totals', player_id, amount: eur(300) });
    await wallet('credit', 'tt2', { tenant_id: 'totals', player_id, amount: eur(50) });
    await wallet('rollback', 'tt3', { tenant_id: 'totals', player_id, original_transaction_id: 'tt1' });
    const { body } = await admin('GET', '/admin/totals?tenant_id=totals');
    expect(body['totals']).toEqual([
      {
        kind: 'credit',
        currency: 'EUR',
        count: 1,
        minor_units: 50,
        cash_delta_minor_units: 50,
        bonus_delta_minor_units: 0,
      },
      {
        kind: 'debit',
        currency: 'EUR',
        count: 1,
        minor_units: 300,
        cash_delta_minor_units: -300,
        bonus_delta_minor_units: 0,
      },
      {
        kind: 'rollback',
        currency: 'EUR',
        count: 1,
        minor_units: 300,
        cash_delta_minor_units: 300,
        bonus_delta_minor_units: 0,
      },
    ]);
    expect(body['accounts']).toEqual([
      { currency: 'EUR', count: 1, cash_minor_units: 1_050, bonus_minor_units: 0 },
    ]);
  });
});
