import { type FingerprintedRequest, requestFingerprint } from './request-fingerprint';

const aRequest = (overrides: Partial<FingerprintedRequest> = {}): FingerprintedRequest => ({
  method: 'POST',
  path: '/v1/bets',
  body: { betId: 'b-1', amount: { minor_units: 500, currency: 'EUR' }, tags: ['a', 'b'] },
  ...overrides,
});

describe(requestFingerprint.name, () => {
  const sut = requestFingerprint;

  it('is a sha256 hex digest', () => {
    expect(sut(aRequest())).toMatch(/^[0-9a-f]{64}$/);
  });

  it('ignores the order of object keys at every depth', () => {
    const reordered = { tags: ['a', 'b'], amount: { currency: 'EUR', minor_units: 500 }, betId: 'b-1' };

    expect(sut(aRequest({ body: reordered }))).toBe(sut(aRequest()));
  });

  it('treats an undefined member as absent, as JSON does', () => {
    expect(sut(aRequest({ body: { a: 1, b: undefined } }))).toBe(sut(aRequest({ body: { a: 1 } })));
  });

  it('treats a lower-case method as the same method', () => {
    expect(sut(aRequest({ method: 'post' }))).toBe(sut(aRequest()));
  });

  it.each<[string, Partial<FingerprintedRequest>]>([
    [
      'another amount',
      { body: { betId: 'b-1', amount: { minor_units: 501, currency: 'EUR' }, tags: ['a', 'b'] } },
    ],
    [
      'a number as a string',
      { body: { betId: 'b-1', amount: { minor_units: '500', currency: 'EUR' }, tags: ['a', 'b'] } },
    ],
    [
      'another array order',
      { body: { betId: 'b-1', amount: { minor_units: 500, currency: 'EUR' }, tags: ['b', 'a'] } },
    ],
    [
      'an extra member',
      { body: { betId: 'b-1', amount: { minor_units: 500, currency: 'EUR' }, tags: ['a', 'b'], x: null } },
    ],
    ['another path', { path: '/v1/bets/b-1' }],
    ['another method', { method: 'PUT' }],
    ['no body', { body: undefined }],
  ])('changes with %s', (_, overrides) => {
    expect(sut(aRequest(overrides))).not.toBe(sut(aRequest()));
  });

  it('cannot be forged by moving text between path and body', () => {
    const a = sut({ method: 'POST', path: '/a', body: 'b' });
    const b = sut({ method: 'POST', path: '/a"', body: '"b' });

    expect(a).not.toBe(b);
  });
});
