import { type Pool } from 'pg';

import { type Transaction, withTransaction } from '@pitboss/event-store';

import { type Answer, applyMovement } from './apply-movement';
import { playerGrantFunds } from './bonus-funds';
import { moveCashIfNew } from './cash-at-once';
import { convertGrant, creditBonus, debitWithGrant, forfeitGrant } from './grant-movements';
import {
  type AccountRow,
  findAccount,
  findLedgerEffect,
  findTransaction,
  insertTransaction,
  isReversed,
  isUniqueViolation,
  lockAccountAndFind,
  moveBalances,
  type TransactionInsert,
  type TransactionRow,
} from './ledger-rows';
import { requestFingerprint } from './request-fingerprint';
import { errorBody, type Money, statusOf, WalletError, WalletErrorCode } from './wallet-error';
import {
  type ConvertRequest,
  type CreditRequest,
  type ForfeitRequest,
  type RollbackRequest,
  type TransactionRequest,
} from './wallet-requests';

export type MovingOperation = 'debit' | 'credit' | 'rollback' | 'convert' | 'forfeit';

export interface WalletResponse {
  readonly status: number;
  readonly body: unknown;
  /** The stored answer of an earlier request with this key, not a new execution. */
  readonly replayed: boolean;
}

/** The key's row as `execute` stores it, but for the answer: a movement may store it in its own statement. */
type AnswerKey = Omit<TransactionInsert, 'responseStatus' | 'responseBody' | 'amount' | 'tombstonedBy'>;

type Work = (tx: Transaction, account: AccountRow | undefined, key: AnswerKey) => Promise<Answer>;

const ATTEMPTS = 3;

/**
 * The wallet's money movements. Everything for one key happens in one Postgres transaction holding the player's
 * account row lock; every answer to a valid request is stored under its key, so a repeated key gets the
 * original answer (status and body) and never moves money twice, and a key reused for another request is refused.
 */
export class WalletLedger {
  constructor(private readonly pool: Pool) {}

  async debit(key: string, request: TransactionRequest): Promise<WalletResponse> {
    if (request.grant_id === undefined) {
      const moved = await this.moveCashAtOnce('debit', key, request, -request.amount.minor_units);
      if (moved) return moved;
    }
    return this.execute('debit', key, request, async (tx, account, answerKey) => {
      const open = assertUsable(account, request.amount);
      const grantId = request.grant_id;
      if (grantId !== undefined) return debitWithGrant(tx, open, key, { ...request, grant_id: grantId });
      if (open.cash < request.amount.minor_units)
        throw new WalletError(WalletErrorCode.InsufficientFunds, 'cash balance too low', cash(open));
      return this.move(tx, open, answerKey, 'debit', request, -request.amount.minor_units, 0);
    });
  }

  /** Into cash, or with `balance: bonus` into the named grant's bonus funds. */
  async credit(key: string, request: CreditRequest): Promise<WalletResponse> {
    if (request.balance !== 'bonus') {
      const moved = await this.moveCashAtOnce('credit', key, request, request.amount.minor_units);
      if (moved) return moved;
    }
    return this.execute('credit', key, request, async (tx, account, answerKey) => {
      const open = assertUsable(account, request.amount);
      const grantId = request.grant_id;
      if (request.balance === 'bonus' && grantId !== undefined)
        return creditBonus(tx, open, key, { ...request, grant_id: grantId });
      return this.move(tx, open, answerKey, 'credit', request, request.amount.minor_units, 0);
    });
  }

  convert(key: string, request: ConvertRequest): Promise<WalletResponse> {
    return this.execute('convert', key, request, async (tx, account, answerKey) => {
      const grantId = request.grant_id;
      if (request.amount === undefined && grantId !== undefined)
        return convertGrant(tx, assertOpen(account), key, { ...request, grant_id: grantId });
      if (request.amount === undefined)
        throw new WalletError(WalletErrorCode.InvalidRequest, 'amount: give amount or grant_id');
      const open = assertUsable(account, request.amount);
      if (open.bonus < request.amount.minor_units)
        throw new WalletError(WalletErrorCode.InsufficientFunds, 'bonus balance too low', {
          minor_units: open.bonus,
          currency: open.currency,
        });
      const amount = request.amount.minor_units;
      return this.move(
        tx,
        open,
        answerKey,
        'convert',
        { ...request, amount: request.amount },
        amount,
        -amount,
      );
    });
  }

  /** Takes back what is left of one grant's bonus funds (revoke, expiry, the excess over max win). */
  forfeit(key: string, request: ForfeitRequest): Promise<WalletResponse> {
    return this.execute('forfeit', key, request, (tx, account) =>
      forfeitGrant(tx, assertOpen(account), key, request),
    );
  }

  /**
   * Reverses a debit or a credit. An original the wallet never saw is tombstoned, so it can never move money
   * later (the rollback overtook its debit); an original that did not move money needs no reversal.
   */
  rollback(key: string, request: RollbackRequest): Promise<WalletResponse> {
    return this.execute('rollback', key, request, async (tx, account) => {
      const originalId = request.original_transaction_id;
      const notFound = { status: 200, body: { transaction_id: key, status: 'not_found' } };
      const original = await findTransaction(tx, request.tenant_id, originalId);
      if (original === undefined) {
        await insertTransaction(tx, {
          tenantId: request.tenant_id,
          transactionId: originalId,
          playerId: request.player_id,
          operation: 'tombstone',
          requestHash: null,
          responseStatus: statusOf(WalletErrorCode.TransactionRolledBack),
          responseBody: errorBody(tombstoneError(originalId, key)),
          tombstonedBy: key,
        });
        return notFound;
      }
      if (original.operation === 'tombstone' || original.responseStatus !== 200) return notFound;
      if (original.operation !== 'debit' && original.operation !== 'credit')
        throw new WalletError(
          WalletErrorCode.InvalidRequest,
          `a ${original.operation} cannot be rolled back`,
        );
      if (original.playerId !== request.player_id || account === undefined)
        throw new WalletError(WalletErrorCode.InvalidRequest, `${originalId} belongs to another player`);
      const rolledBack = (balance: AccountRow) => ({
        status: 200,
        body: { transaction_id: key, status: 'rolled_back', balance: cash(balance) },
      });
      // Reversed already under another rollback key: the effect is there, say so without moving money again.
      if (await isReversed(tx, request.tenant_id, originalId)) return rolledBack(account);
      const amount = original.amount ?? 0;
      // Undo exactly what the original did: a grant-funded stake returns its bonus part to the grant, a bonus
      // credit is taken back from the grant's funds.
      const effect = (await findLedgerEffect(tx, request.tenant_id, originalId)) ?? {
        cashDelta: original.operation === 'debit' ? -amount : amount,
        bonusDelta: 0,
        grantId: null,
      };
      const cashDelta = -effect.cashDelta;
      const bonusDelta = -effect.bonusDelta;
      if (account.cash + cashDelta < 0 || account.bonus + bonusDelta < 0)
        throw new WalletError(
          WalletErrorCode.InsufficientFunds,
          'balance too low to reverse the credit',
          cash(account),
        );
      const money = { minor_units: amount, currency: account.currency };
      const after = await applyMovement(tx, account, {
        transactionId: key,
        kind: 'rollback',
        amount: money,
        cashDelta,
        bonusDelta,
        reversesTransactionId: originalId,
        betId: request.bet_id,
        roundId: request.round_id,
        grantId: effect.grantId ?? undefined,
      });
      return { ...rolledBack(after), amount: money };
    });
  }

  async balance(tenantId: string, playerId: string): Promise<WalletResponse> {
    const account = await findAccount(this.pool, tenantId, playerId);
    if (account === undefined)
      return failure(new WalletError(WalletErrorCode.PlayerNotFound, 'no such player'));
    const grants = await playerGrantFunds(this.pool, tenantId, playerId);
    return {
      status: 200,
      body: {
        cash: cash(account),
        bonus: { minor_units: account.bonus, currency: account.currency },
        grants: grants.map((funds) => ({
          grant_id: funds.grantId,
          bonus: { minor_units: funds.minorUnits, currency: funds.currency },
        })),
      },
      replayed: false,
    };
  }

  /**
   * The common case, a cash debit or credit under a new key that nothing refuses, in one statement without a
   * transaction around it (`moveCashIfNew`); undefined sends the request the transactional way (`execute`).
   */
  private async moveCashAtOnce(
    kind: 'debit' | 'credit',
    key: string,
    request: TransactionRequest,
    cashDelta: number,
  ): Promise<WalletResponse | undefined> {
    const balance = await moveCashIfNew(this.pool, {
      tenantId: request.tenant_id,
      playerId: request.player_id,
      transactionId: key,
      kind,
      requestHash: requestFingerprint(kind, request),
      amount: request.amount,
      cashDelta,
      betId: request.bet_id,
      roundId: request.round_id,
    });
    if (balance === undefined) return undefined;
    return { status: 200, body: { transaction_id: key, status: 'committed', balance }, replayed: false };
  }

  /**
   * A cash movement whose answer is known before it runs (the balance after is the locked row's plus the delta):
   * the balances, the ledger entry and the stored answer in one statement.
   */
  private async move(
    tx: Transaction,
    account: AccountRow,
    key: AnswerKey,
    kind: 'debit' | 'credit' | 'convert',
    request: { tenant_id: string; player_id: string; amount: Money; bet_id?: string; round_id?: string },
    cashDelta: number,
    bonusDelta: number,
  ): Promise<Answer> {
    const balance = { minor_units: account.cash + cashDelta, currency: account.currency };
    const body = { transaction_id: key.transactionId, status: 'committed', balance };
    const after = await moveBalances(
      tx,
      {
        tenantId: account.tenantId,
        playerId: account.playerId,
        transactionId: key.transactionId,
        kind,
        amount: request.amount,
        cashDelta,
        bonusDelta,
        betId: request.bet_id,
        roundId: request.round_id,
      },
      { ...key, responseStatus: 200, responseBody: body, amount: request.amount },
    );
    // The row was locked before the balance was read: nothing else can have moved it in between.
    if (after.cash !== balance.minor_units)
      throw new Error(`account ${account.tenantId}/${account.playerId} moved under its lock`);
    return { status: 200, body, amount: request.amount, stored: true };
  }

  private async execute(
    operation: MovingOperation,
    key: string,
    request: { tenant_id: string; player_id: string },
    work: Work,
  ): Promise<WalletResponse> {
    const hash = requestFingerprint(operation, request);
    for (let attempt = 1; ; attempt++) {
      try {
        return await withTransaction(this.pool, async (tx) => {
          const { account, stored } = await lockAccountAndFind(tx, request.tenant_id, request.player_id, key);
          if (stored !== undefined) return replay(stored, hash);
          const answerKey = {
            tenantId: request.tenant_id,
            transactionId: key,
            playerId: request.player_id,
            operation,
            requestHash: hash,
          };
          const answer = await work(tx, account, answerKey).catch((error: unknown) => {
            if (error instanceof WalletError) return failure(error);
            throw error;
          });
          if (!answer.stored)
            await insertTransaction(tx, {
              ...answerKey,
              responseStatus: answer.status,
              responseBody: answer.body,
              amount: answer.amount,
            });
          return { status: answer.status, body: answer.body, replayed: false };
        });
      } catch (error) {
        // A concurrent execution of the same key committed first (only possible where no account row serialised
        // them): its stored answer is the answer. Otherwise the transaction is retried from the start.
        if (!isUniqueViolation(error) || attempt >= ATTEMPTS) throw error;
        const stored = await findTransaction(this.pool, request.tenant_id, key);
        if (stored !== undefined) return replay(stored, hash);
      }
    }
  }
}

function assertOpen(account: AccountRow | undefined): AccountRow {
  if (account === undefined) throw new WalletError(WalletErrorCode.PlayerNotFound, 'no such player');
  if (account.blocked) throw new WalletError(WalletErrorCode.PlayerBlocked, 'the player is blocked');
  return account;
}

function assertUsable(account: AccountRow | undefined, amount: Money): AccountRow {
  const open = assertOpen(account);
  if (open.currency !== amount.currency)
    throw new WalletError(
      WalletErrorCode.CurrencyMismatch,
      `the account is in ${open.currency}, the amount in ${amount.currency}`,
    );
  return open;
}

function replay(stored: TransactionRow, hash: string): WalletResponse {
  if (stored.operation === 'tombstone')
    return { status: stored.responseStatus, body: stored.responseBody, replayed: true };
  // eslint-disable-next-line security/detect-possible-timing-attacks -- compares two request hashes for idempotency, no secret
  if (stored.requestHash !== hash)
    return failure(
      new WalletError(
        WalletErrorCode.IdempotencyMismatch,
        `transaction ${stored.transactionId} was used for another request`,
      ),
    );
  return { status: stored.responseStatus, body: stored.responseBody, replayed: true };
}

function failure(error: WalletError): WalletResponse & Answer {
  return { status: statusOf(error.code), body: errorBody(error), replayed: false };
}

function tombstoneError(transactionId: string, rollbackId: string): WalletError {
  return new WalletError(
    WalletErrorCode.TransactionRolledBack,
    `transaction ${transactionId} was rolled back (${rollbackId}) before it arrived`,
  );
}

function cash(account: AccountRow): Money {
  return { minor_units: account.cash, currency: account.currency };
}
