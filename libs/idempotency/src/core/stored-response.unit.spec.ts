import { isStorableStatus } from './stored-response';

describe(isStorableStatus.name, () => {
  const sut = isStorableStatus;

  it.each([200, 201, 202, 204, 400, 402, 404, 409, 422])('stores the final answer %i', (status) => {
    expect(sut(status)).toBe(true);
  });

  it.each([408, 425, 429, 500, 502, 503, 504])('does not store the retryable answer %i', (status) => {
    expect(sut(status)).toBe(false);
  });
});
