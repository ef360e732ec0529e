import {
  outcomeOfError,
  outcomeOfResponse,
  parseRollbackResult,
  parseTransactionResult,
} from './wallet-outcome.classifier';

const committed = {
  transaction_id: 'k',
  status: 'committed',
  balance: { minor_units: 750, currency: 'EUR' },
};

describe(outcomeOfResponse.name, () => {
  it('reads a 2xx with the contract shape as ok', () => {
    expect(outcomeOfResponse(200, committed, parseTransactionResult)).toEqual({
      kind: 'ok',
      value: { transactionId: 'k', balance: { minor_units: 750, currency: 'EUR' } },
    });
  });

  it('reads a rollback of an unknown transaction as ok not_found', () => {
    expect(outcomeOfResponse(200, { transaction_id: 'r', status: 'not_found' }, parseRollbackResult)).toEqual(
      {
        kind: 'ok',
        value: { transactionId: 'r', status: 'not_found' },
      },
    );
  });

  it('reads a known 4xx code as rejected, with the balance of a 402', () => {
    const body = {
      error: {
        code: 'INSUFFICIENT_FUNDS',
        message: 'low',
        retryable: false,
        balance: { minor_units: 5, currency: 'EUR' },
      },
    };
    expect(outcomeOfResponse(402, body, parseTransactionResult)).toEqual({
      kind: 'rejected',
      code: 'INSUFFICIENT_FUNDS',
      message: 'low',
      balance: { minor_units: 5, currency: 'EUR' },
    });
  });

  it.each([
    [503, { error: { code: 'WALLET_UNAVAILABLE' } }, 'http_503'],
    [500, 'oops', 'http_500'],
    [429, { error: { code: 'RATE_LIMITED' } }, 'http_429'],
    [404, '<html>', 'http_404'],
    [200, { transaction_id: 'k', balance: { minor_units: 1.5, currency: 'EUR' } }, 'unparseable_response'],
    [200, undefined, 'unparseable_response'],
  ])('reads %s %j as uncertain (%s), delivered', (status, body, cause) => {
    expect(outcomeOfResponse(status, body, parseTransactionResult)).toEqual({
      kind: 'uncertain',
      cause,
      delivered: true,
    });
  });
});

describe(outcomeOfError.name, () => {
  it('reads a refused connection as undelivered, even when wrapped', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    expect(outcomeOfError(new Error('fetch failed', { cause: refused }), false)).toEqual({
      kind: 'uncertain',
      cause: 'connection_refused',
      delivered: false,
    });
  });

  it('reads a deadline or a lost socket as possibly delivered', () => {
    expect(outcomeOfError(new Error('aborted'), true)).toEqual({
      kind: 'uncertain',
      cause: 'timeout',
      delivered: true,
    });
    const reset = Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' });
    expect(outcomeOfError(reset, false)).toEqual({
      kind: 'uncertain',
      cause: 'connection_lost:UND_ERR_SOCKET',
      delivered: true,
    });
  });
});

describe(parseTransactionResult.name, () => {
  const eur = (minor_units: number) => ({ minor_units, currency: 'EUR' });

  it('reads the funding of a stake that named a grant, and the bonus fields when sent', () => {
    expect(
      parseTransactionResult({
        ...committed,
        bonus_balance: eur(70),
        funding: 'mixed',
        funded: { cash: eur(10), bonus: eur(30) },
      }),
    ).toEqual({
      transactionId: 'k',
      balance: eur(750),
      bonusBalance: eur(70),
      funding: 'mixed',
      funded: { cash: eur(10), bonus: eur(30) },
    });
    expect(parseTransactionResult({ ...committed, forfeited: eur(5) })).toEqual({
      transactionId: 'k',
      balance: eur(750),
      forfeited: eur(5),
    });
  });

  it('refuses a funding the contract does not know (the answer is then uncertain)', () => {
    expect(parseTransactionResult({ ...committed, funding: 'credit_line' })).toBeUndefined();
  });
});
