import { type Transaction } from '@pitboss/event-store';

import { type Answer, applyMovement, bonusOf, cashOf } from './apply-movement';
import { grantFunds } from './bonus-funds';
import { type AccountRow } from './ledger-rows';
import { WalletError, WalletErrorCode } from './wallet-error';
import {
  type ConvertRequest,
  type CreditRequest,
  type ForfeitRequest,
  type TransactionRequest,
} from './wallet-requests';

/**
 * The bonus side of the wallet: money that belongs to a grant. Each function runs inside `WalletLedger.execute`
 * (one transaction, the account row locked, the answer stored under the key), so the same idempotency holds.
 */

/**
 * A stake that names a grant: cash pays first, the grant's bonus funds the rest. The answer says which balance
 * funded it (`cash`, `bonus` or `mixed`, with both parts), which wagering needs to count the bet.
 */
export async function debitWithGrant(
  tx: Transaction,
  account: AccountRow,
  key: string,
  request: TransactionRequest & { grant_id: string },
): Promise<Answer> {
  const stake = request.amount.minor_units;
  const fromCash = Math.min(account.cash, stake);
  const fromBonus = stake - fromCash;
  if (fromBonus > 0 && (await grantFunds(tx, account.tenantId, request.grant_id)) < fromBonus)
    throw new WalletError(
      WalletErrorCode.InsufficientFunds,
      'cash and the grant’s bonus funds too low',
      cashOf(account),
    );
  const after = await applyMovement(tx, account, {
    transactionId: key,
    kind: 'debit',
    amount: request.amount,
    cashDelta: -fromCash,
    bonusDelta: -fromBonus,
    betId: request.bet_id,
    roundId: request.round_id,
    grantId: request.grant_id,
  });
  const money = (minor: number) => ({ minor_units: minor, currency: account.currency });
  return {
    status: 200,
    body: {
      transaction_id: key,
      status: 'committed',
      balance: cashOf(after),
      bonus_balance: bonusOf(after),
      funding: fromBonus === 0 ? 'cash' : fromCash === 0 ? 'bonus' : 'mixed',
      funded: { cash: money(fromCash), bonus: money(fromBonus) },
    },
    amount: request.amount,
  };
}

/** Bonus money into the grant's funds (and so the player's bonus sub-balance): never withdrawable as cash. */
export async function creditBonus(
  tx: Transaction,
  account: AccountRow,
  key: string,
  request: CreditRequest & { grant_id: string },
): Promise<Answer> {
  const after = await applyMovement(tx, account, {
    transactionId: key,
    kind: 'credit',
    amount: request.amount,
    cashDelta: 0,
    bonusDelta: request.amount.minor_units,
    betId: request.bet_id,
    roundId: request.round_id,
    grantId: request.grant_id,
  });
  return {
    status: 200,
    body: { transaction_id: key, status: 'committed', balance: cashOf(after), bonus_balance: bonusOf(after) },
    amount: request.amount,
  };
}

/** The grant's funds into cash, at most `max_amount`: answers how much converted (the rest stays until forfeited). */
export async function convertGrant(
  tx: Transaction,
  account: AccountRow,
  key: string,
  request: ConvertRequest & { grant_id: string },
): Promise<Answer> {
  if (request.max_amount !== undefined && request.max_amount.currency !== account.currency)
    throw new WalletError(
      WalletErrorCode.CurrencyMismatch,
      `the account is in ${account.currency}, max_amount in ${request.max_amount.currency}`,
    );
  const funds = await grantFunds(tx, account.tenantId, request.grant_id);
  const converted = Math.min(funds, request.max_amount?.minor_units ?? funds);
  const amount = { minor_units: converted, currency: account.currency };
  const after = await applyMovement(tx, account, {
    transactionId: key,
    kind: 'convert',
    amount,
    cashDelta: converted,
    bonusDelta: -converted,
    grantId: request.grant_id,
  });
  return {
    status: 200,
    body: {
      transaction_id: key,
      status: 'committed',
      converted: amount,
      balance: cashOf(after),
      bonus_balance: bonusOf(after),
    },
    amount,
  };
}

/** Removes everything left of the grant's funds; 0 when nothing is left (still recorded, once, under the key). */
export async function forfeitGrant(
  tx: Transaction,
  account: AccountRow,
  key: string,
  request: ForfeitRequest,
): Promise<Answer> {
  const funds = await grantFunds(tx, account.tenantId, request.grant_id);
  const amount = { minor_units: funds, currency: account.currency };
  const after = await applyMovement(tx, account, {
    transactionId: key,
    kind: 'forfeit',
    amount,
    cashDelta: 0,
    bonusDelta: -funds,
    grantId: request.grant_id,
  });
  return {
    status: 200,
    body: {
      transaction_id: key,
      status: 'committed',
      forfeited: amount,
      balance: cashOf(after),
      bonus_balance: bonusOf(after),
    },
    amount,
  };
}
