import { ERROR_CATALOGUE, ERROR_CODES } from '@pitboss/contracts';

import { apiErrorClassOf, UNKNOWN_ERROR_CODE } from './api-error-class';

describe(apiErrorClassOf.name, () => {
  it.each(ERROR_CODES)('classes %s as server exactly when the catalogue answers it 5xx', (code) => {
    const { httpStatus } = ERROR_CATALOGUE[code];

    expect(apiErrorClassOf(code, httpStatus) === 'server').toBe(httpStatus >= 500);
  });

  it.each([
    'INSUFFICIENT_FUNDS',
    'GEO_BLOCKED',
    'SELF_EXCLUDED',
    'STAKE_OUT_OF_LIMITS',
    'BET_ALREADY_SETTLED',
  ])('classes the domain refusal %s as business', (code) =>
    expect(apiErrorClassOf(code, 400)).toBe('business'),
  );

  it.each([
    'INVALID_REQUEST',
    'INVALID_SIGNATURE',
    'INSUFFICIENT_SCOPE',
    'RATE_LIMITED',
    'IDEMPOTENCY_MISMATCH',
  ])('classes the request fault %s as client', (code) => expect(apiErrorClassOf(code, 400)).toBe('client'));

  it('classes an answer without a catalogue code by its status', () => {
    expect(apiErrorClassOf(UNKNOWN_ERROR_CODE, 502)).toBe('server');
    expect(apiErrorClassOf(UNKNOWN_ERROR_CODE, 404)).toBe('client');
    expect(apiErrorClassOf('constructor', 400)).toBe('client');
  });
});
