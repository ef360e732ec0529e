import { type SandboxLedgerEntry } from '@pitboss/testing';

import { refusedBetMovements } from './refused-bets';

const entry = (
  kind: SandboxLedgerEntry['kind'],
  minor: number,
  transactionId: string,
  reverses: string | null = null,
): SandboxLedgerEntry => ({
  id: 1,
  tenant_id: 't',
  player_id: 'p',
  transaction_id: transactionId,
  kind,
  amount: { minor_units: minor, currency: 'EUR' },
  cash_delta_minor_units: kind === 'debit' ? -minor : minor,
  bonus_delta_minor_units: 0,
  reverses_transaction_id: reverses,
  bet_id: 'b1',
  round_id: 'r1',
  grant_id: null,
  created_at: '2026-12-03T10:00:00.000Z',
});

describe('refusedBetMovements', () => {
  it('given a refused bet the wallet never saw, when its ledger is read, then nothing moved', () => {
    expect(refusedBetMovements([])).toEqual({ kind: 'none' });
  });

  it('given an uncertain debit the wallet booked, when the gateway rolled it back by key, then it is reversed', () => {
    expect(
      refusedBetMovements([
        entry('debit', 250, 'bet:t:b1:debit'),
        entry('rollback', 250, 'bet:t:b1:rollback', 'bet:t:b1:debit'),
      ]),
    ).toEqual({ kind: 'reversed', minorUnits: 250, currency: 'EUR' });
  });

  it.each([
    ['a debit never rolled back', [entry('debit', 250, 'bet:t:b1:debit')]],
    [
      'a rollback of another amount',
      [entry('debit', 250, 'bet:t:b1:debit'), entry('rollback', 200, 'bet:t:b1:rollback', 'bet:t:b1:debit')],
    ],
    [
      'a rollback of another transaction',
      [entry('debit', 250, 'bet:t:b1:debit'), entry('rollback', 250, 'bet:t:b1:rollback', 'bet:t:b9:debit')],
    ],
    ['a credit', [entry('credit', 100, 'bet:t:b1:credit')]],
  ])('given %s, when a refused bet is judged, then the money is stranded', (_case, entries) => {
    expect(refusedBetMovements(entries)).toMatchObject({ kind: 'stranded' });
  });
});
