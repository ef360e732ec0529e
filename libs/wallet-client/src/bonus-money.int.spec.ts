import { randomBytes } from 'node:crypto';

import { startWalletSandbox, type WalletSandboxProcess } from '@pitboss/testing';

import { HttpWalletClient } from './http-wallet-client';
import { walletKeys } from './wallet-keys';

const eur = (minor_units: number) => ({ minor_units, currency: 'EUR' });

/** Bonus money through the real sandbox: grant credit, grant-funded stakes, conversion with a cap, forfeit. */
describe(`${HttpWalletClient.name} bonus money`, () => {
  let sandbox: WalletSandboxProcess;
  let sut: HttpWalletClient;
  const tenantId = `t${randomBytes(4).toString('hex')}`;
  let seq = 0;

  beforeAll(async () => {
    sandbox = await startWalletSandbox();
    sut = new HttpWalletClient({ baseUrl: sandbox.url, timeoutMs: 1_000, maxConnections: 16 });
  });

  afterAll(async () => {
    await sut?.close();
    await sandbox?.stop();
  });

  afterEach(() => sandbox.admin.clearFaults());

  async function player(cash = 0): Promise<string> {
    const playerId = `p${++seq}`;
    await sandbox.admin.createAccount({ tenantId, playerId, cash });
    return playerId;
  }

  const grantCredit = (playerId: string, grantId: string, amount: number) => ({
    tenantId,
    playerId,
    transactionId: walletKeys.grantCredit(tenantId, grantId),
    amount: eur(amount),
    grantId,
    balance: 'bonus' as const,
  });

  it('credits a grant into the bonus sub-balance, once per key, and a key reused for another amount is refused', async () => {
    const playerId = await player(100);
    const first = await sut.credit(grantCredit(playerId, 'g1', 500));
    expect(first).toEqual({
      kind: 'ok',
      value: {
        transactionId: walletKeys.grantCredit(tenantId, 'g1'),
        balance: eur(100),
        bonusBalance: eur(500),
      },
    });
    expect(await sut.credit(grantCredit(playerId, 'g1', 500))).toEqual(first);
    expect(await sut.credit(grantCredit(playerId, 'g1', 501))).toMatchObject({
      kind: 'rejected',
      code: 'IDEMPOTENCY_MISMATCH',
    });
    expect(await sut.balance(tenantId, playerId)).toEqual({
      kind: 'ok',
      value: { cash: eur(100), bonus: eur(500), grants: [{ grantId: 'g1', bonus: eur(500) }] },
    });
    expect(await sandbox.admin.ledger({ tenantId, grantId: 'g1' })).toHaveLength(1);
  });

  it('refuses a bonus credit without a grant', async () => {
    const playerId = await player();
    const { grantId: _omitted, ...withoutGrant } = grantCredit(playerId, 'g2', 10);
    expect(await sut.credit(withoutGrant)).toMatchObject({ kind: 'rejected', code: 'INVALID_REQUEST' });
  });

  it('answers which balance funded a stake that names a grant: cash first, then the grant', async () => {
    const playerId = await player(30);
    await sut.credit(grantCredit(playerId, 'g3', 100));
    const debit = (betId: string, amount: number) => ({
      tenantId,
      playerId,
      transactionId: walletKeys.debit(tenantId, betId),
      amount: eur(amount),
      betId,
      grantId: 'g3',
    });
    expect(await sut.debit(debit('b1', 20))).toMatchObject({
      kind: 'ok',
      value: { funding: 'cash', funded: { cash: eur(20), bonus: eur(0) }, balance: eur(10) },
    });
    expect(await sut.debit(debit('b2', 40))).toMatchObject({
      kind: 'ok',
      value: { funding: 'mixed', funded: { cash: eur(10), bonus: eur(30) }, bonusBalance: eur(70) },
    });
    expect(await sut.debit(debit('b3', 50))).toMatchObject({
      kind: 'ok',
      value: { funding: 'bonus', funded: { cash: eur(0), bonus: eur(50) }, bonusBalance: eur(20) },
    });
    expect(await sut.debit(debit('b4', 21))).toMatchObject({ kind: 'rejected', code: 'INSUFFICIENT_FUNDS' });
    // A rollback gives each part back where it came from.
    expect(
      await sut.rollback({
        tenantId,
        playerId,
        transactionId: walletKeys.rollback(tenantId, 'b2'),
        originalTransactionId: walletKeys.debit(tenantId, 'b2'),
      }),
    ).toMatchObject({ kind: 'ok', value: { status: 'rolled_back', balance: eur(10) } });
    expect(await sandbox.admin.balance(tenantId, playerId)).toEqual({ cash: eur(10), bonus: eur(50) });
  });

  it('converts a grant capped at max win, then forfeits the excess, each once', async () => {
    const playerId = await player();
    await sut.credit(grantCredit(playerId, 'g4', 800));
    const convert = {
      tenantId,
      playerId,
      transactionId: walletKeys.convert(tenantId, 'g4'),
      grantId: 'g4',
      maxAmount: eur(300),
    };
    const converted = await sut.convert(convert);
    expect(converted).toMatchObject({ kind: 'ok', value: { converted: eur(300), balance: eur(300) } });
    expect(await sut.convert(convert)).toEqual(converted);
    const forfeit = {
      tenantId,
      playerId,
      transactionId: walletKeys.forfeit(tenantId, 'g4'),
      grantId: 'g4',
    };
    const forfeited = await sut.forfeit(forfeit);
    expect(forfeited).toMatchObject({ kind: 'ok', value: { forfeited: eur(500), bonusBalance: eur(0) } });
    expect(await sut.forfeit(forfeit)).toEqual(forfeited);
    const kinds = (await sandbox.admin.ledger({ tenantId, grantId: 'g4' })).map((entry) => entry.kind);
    expect(kinds).toEqual(['credit', 'convert', 'forfeit']);
    expect(await sandbox.admin.balance(tenantId, playerId)).toEqual({ cash: eur(300), bonus: eur(0) });
  });

  it('forfeits only the named grant and answers 0 for a grant with nothing left', async () => {
    const playerId = await player();
    await sut.credit(grantCredit(playerId, 'g5', 100));
    await sut.credit(grantCredit(playerId, 'g6', 40));
    expect(
      await sut.forfeit({
        tenantId,
        playerId,
        transactionId: walletKeys.forfeit(tenantId, 'g5'),
        grantId: 'g5',
      }),
    ).toMatchObject({ kind: 'ok', value: { forfeited: eur(100), bonusBalance: eur(40) } });
    expect(
      await sut.forfeit({
        tenantId,
        playerId,
        transactionId: walletKeys.forfeit(tenantId, 'g7'),
        grantId: 'g7',
      }),
    ).toMatchObject({ kind: 'ok', value: { forfeited: eur(0) } });
  });

  it('reverses an uncertain grant credit by key, bonus part included', async () => {
    const playerId = await player();
    await sandbox.admin.setFaults({ commit_then_drop_rate: 1, operations: ['credit'] });
    expect(await sut.credit(grantCredit(playerId, 'g8', 250))).toMatchObject({ kind: 'uncertain' });
    await sandbox.admin.clearFaults();
    expect(
      await sut.rollback({
        tenantId,
        playerId,
        transactionId: walletKeys.grantCreditReversal(tenantId, 'g8'),
        originalTransactionId: walletKeys.grantCredit(tenantId, 'g8'),
      }),
    ).toMatchObject({ kind: 'ok', value: { status: 'rolled_back' } });
    expect(await sandbox.admin.balance(tenantId, playerId)).toEqual({ cash: eur(0), bonus: eur(0) });
  });

  it('applies the fault switches to forfeit', async () => {
    const playerId = await player();
    await sandbox.admin.setFaults({ error_rate: 1, operations: ['forfeit'] });
    expect(
      await sut.forfeit({
        tenantId,
        playerId,
        transactionId: walletKeys.forfeit(tenantId, 'g9'),
        grantId: 'g9',
      }),
    ).toEqual({ kind: 'uncertain', cause: 'http_503', delivered: true });
  });
});
