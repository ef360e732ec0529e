import { randomBytes } from 'node:crypto';

import { startWalletSandbox, type WalletSandboxProcess } from '@pitboss/testing';

import { HttpWalletClient } from './http-wallet-client';
import { walletKeys } from './wallet-keys';
import { type WalletTransactionRequest } from './wallet-port';

const eur = (minor_units: number) => ({ minor_units, currency: 'EUR' });

describe(HttpWalletClient.name, () => {
  let sandbox: WalletSandboxProcess;
  let sut: HttpWalletClient;
  const tenantId = `t${randomBytes(4).toString('hex')}`;
  let playerSeq = 0;

  beforeAll(async () => {
    sandbox = await startWalletSandbox();
    sut = new HttpWalletClient({ baseUrl: sandbox.url, timeoutMs: 1_000, maxConnections: 64 });
  });

  afterAll(async () => {
    await sut?.close();
    await sandbox?.stop();
  });

  afterEach(() => sandbox.admin.clearFaults());

  async function player(cash = 1_000, bonus = 0): Promise<string> {
    const playerId = `p${++playerSeq}`;
    await sandbox.admin.createAccount({ tenantId, playerId, cash, bonus });
    return playerId;
  }

  function debit(playerId: string, betId: string, amount = 250): WalletTransactionRequest {
    return {
      tenantId,
      playerId,
      transactionId: walletKeys.debit(tenantId, betId),
      amount: eur(amount),
      betId,
    };
  }

  it('debits and answers the same for a repeated key, moving money once', async () => {
    const playerId = await player();
    const first = await sut.debit(debit(playerId, 'b1'));
    const again = await sut.debit(debit(playerId, 'b1'));
    const expected = { transactionId: walletKeys.debit(tenantId, 'b1'), balance: eur(750) };
    expect(first).toEqual({ kind: 'ok', value: expected });
    expect(again).toEqual(first);
    expect(await sandbox.admin.ledger({ tenantId, playerId })).toHaveLength(1);
    expect(await sut.balance(tenantId, playerId)).toEqual({
      kind: 'ok',
      value: { cash: eur(750), bonus: eur(0) },
    });
  });

  it('rejects insufficient funds with the balance', async () => {
    const playerId = await player(100);
    expect(await sut.debit(debit(playerId, 'b2', 101))).toEqual({
      kind: 'rejected',
      code: 'INSUFFICIENT_FUNDS',
      message: expect.any(String),
      balance: eur(100),
    });
  });

  it('refuses a key reused for another amount', async () => {
    const playerId = await player();
    await sut.debit(debit(playerId, 'b3', 10));
    expect(await sut.debit(debit(playerId, 'b3', 11))).toMatchObject({
      kind: 'rejected',
      code: 'IDEMPOTENCY_MISMATCH',
    });
  });

  it('tombstones an unknown transaction rolled back, so its late debit is refused', async () => {
    const playerId = await player();
    const rollback = await sut.rollback({
      tenantId,
      playerId,
      transactionId: walletKeys.rollback(tenantId, 'b4'),
      originalTransactionId: walletKeys.debit(tenantId, 'b4'),
      betId: 'b4',
    });
    expect(rollback).toEqual({
      kind: 'ok',
      value: { transactionId: walletKeys.rollback(tenantId, 'b4'), status: 'not_found' },
    });
    expect(await sut.debit(debit(playerId, 'b4'))).toMatchObject({
      kind: 'rejected',
      code: 'TRANSACTION_ROLLED_BACK',
    });
    expect(await sandbox.admin.balance(tenantId, playerId)).toMatchObject({ cash: eur(1_000) });
  });

  it('rolls a debit back once, whatever the number of rollbacks', async () => {
    const playerId = await player();
    await sut.debit(debit(playerId, 'b5'));
    const request = {
      tenantId,
      playerId,
      transactionId: walletKeys.rollback(tenantId, 'b5'),
      originalTransactionId: walletKeys.debit(tenantId, 'b5'),
    };
    const first = await sut.rollback(request);
    expect(first).toEqual({
      kind: 'ok',
      value: { transactionId: request.transactionId, status: 'rolled_back', balance: eur(1_000) },
    });
    expect(await sut.rollback(request)).toEqual(first);
    expect(await sandbox.admin.ledger({ tenantId, playerId })).toHaveLength(2);
  });

  it('converts bonus into cash', async () => {
    const playerId = await player(0, 500);
    const convert = {
      tenantId,
      playerId,
      transactionId: walletKeys.convert(tenantId, 'g1'),
      amount: eur(200),
    };
    expect(await sut.convert(convert)).toEqual({
      kind: 'ok',
      value: { transactionId: convert.transactionId, balance: eur(200) },
    });
    expect(await sandbox.admin.balance(tenantId, playerId)).toEqual({ cash: eur(200), bonus: eur(300) });
  });

  it('reads a 5xx as uncertain, delivered', async () => {
    const playerId = await player();
    await sandbox.admin.setFaults({ error_rate: 1 });
    expect(await sut.debit(debit(playerId, 'b6'))).toEqual({
      kind: 'uncertain',
      cause: 'http_503',
      delivered: true,
    });
  });

  it('reads a wallet that never answers as uncertain after the timeout', async () => {
    const playerId = await player();
    await sandbox.admin.setFaults({ timeout_rate: 1, operations: ['debit'] });
    const started = Date.now();
    expect(await sut.debit(debit(playerId, 'b7'))).toEqual({
      kind: 'uncertain',
      cause: 'timeout',
      delivered: true,
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('reads an offline wallet as uncertain and undelivered', async () => {
    const playerId = await player();
    await sut.balance(tenantId, playerId); // a pooled keep-alive connection exists: offline must drop it too
    await sandbox.admin.setFaults({ offline: true });
    expect(await sut.debit(debit(playerId, 'b8'))).toEqual({
      kind: 'uncertain',
      cause: 'connection_refused',
      delivered: false,
    });
    await sandbox.admin.clearFaults();
    expect(await sut.debit(debit(playerId, 'b8'))).toMatchObject({ kind: 'ok' });
  });

  it('after a commit whose answer was lost, a retry with the same key answers ok with one ledger entry', async () => {
    const playerId = await player();
    await sandbox.admin.setFaults({ commit_then_drop_rate: 1 });
    expect(await sut.debit(debit(playerId, 'b9'))).toMatchObject({ kind: 'uncertain', delivered: true });
    await sandbox.admin.clearFaults();
    expect(await sut.debit(debit(playerId, 'b9'))).toEqual({
      kind: 'ok',
      value: { transactionId: walletKeys.debit(tenantId, 'b9'), balance: eur(750) },
    });
    expect(await sandbox.admin.ledger({ tenantId, betId: 'b9' })).toHaveLength(1);
  });

  it('moves money once for 50 concurrent identical debits', async () => {
    const playerId = await player();
    const outcomes = await Promise.all(Array.from({ length: 50 }, () => sut.debit(debit(playerId, 'b10'))));
    const expected = {
      kind: 'ok',
      value: { transactionId: walletKeys.debit(tenantId, 'b10'), balance: eur(750) },
    };
    for (const outcome of outcomes) expect(outcome).toEqual(expected);
    expect(await sandbox.admin.ledger({ tenantId, betId: 'b10' })).toHaveLength(1);
    expect(await sandbox.admin.balance(tenantId, playerId)).toMatchObject({ cash: eur(750) });
  });
});
