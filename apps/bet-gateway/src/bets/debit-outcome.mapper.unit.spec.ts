import { debitOutcomeOf } from './debit-outcome.mapper';

const eur = (minor_units: number) => ({ minor_units, currency: 'EUR' });

describe('debitOutcomeOf', () => {
  it('given a debit that named a grant, when the wallet says which balance paid, then the bet records it', () => {
    expect(
      debitOutcomeOf({
        kind: 'ok',
        value: {
          transactionId: 'bet:t:b1:debit',
          balance: eur(0),
          bonusBalance: eur(800),
          funding: 'mixed',
          funded: { cash: eur(100), bonus: eur(200) },
        },
      }),
    ).toEqual({ kind: 'debited', transactionId: 'bet:t:b1:debit', balance: eur(0), fundedBy: 'mixed' });
  });

  it('given a cash debit, when the wallet says nothing of funding, then none is recorded (the decider says cash)', () => {
    expect(
      debitOutcomeOf({ kind: 'ok', value: { transactionId: 'bet:t:b2:debit', balance: eur(750) } }),
    ).toEqual({ kind: 'debited', transactionId: 'bet:t:b2:debit', balance: eur(750) });
  });

  it('given a definitive refusal, when it is the bet id reused with another amount, then it reads DUPLICATE_BET_ID', () => {
    expect(
      debitOutcomeOf({ kind: 'rejected', code: 'IDEMPOTENCY_MISMATCH', message: 'x', balance: undefined }),
    ).toEqual({ kind: 'refused', code: 'DUPLICATE_BET_ID', balance: null });
  });
});
