import { signedHeaders, signRequest } from './sign-request';
import { signingString } from './signing-string';

// Computed independently of this code:
//   printf '%s' '<signing string>' | openssl dgst -sha256 -hmac '<secret>' -hex
const README_EXAMPLE = {
  secret: 'demo-secret',
  timestamp: 1735689600000,
  method: 'POST',
  path: '/v1/bets/authorize?dry_run=false',
  idempotencyKey: 'authorize:bet-1',
  body: '{"bet_id":"bet-1","amount":{"minor_units":250,"currency":"EUR"}}',
  signature: 'b87d7ab9eee670668fda2dbe6be17c70bc54d736b9ffc8016dbd9158d8228587',
};

describe(signingString.name, () => {
  it('joins timestamp, upper-cased method, path with query, idempotency key and body with dots', () => {
    const sut = signingString({
      timestamp: 1700000000000,
      method: 'post',
      path: '/v1/x?a=1&b=2',
      idempotencyKey: 'key-1',
      body: '{}',
    });

    expect(sut.toString('utf8')).toBe('1700000000000.POST./v1/x?a=1&b=2.key-1.{}');
  });

  it('leaves the key part empty when no idempotency key is sent', () => {
    const parts = { timestamp: '1700000000000', method: 'POST', path: '/v1/x', body: '{}' };

    expect(signingString(parts).toString()).toBe('1700000000000.POST./v1/x..{}');
    expect(signingString({ ...parts, idempotencyKey: '' }).toString()).toBe('1700000000000.POST./v1/x..{}');
  });

  it('ends with the last dot when the body is empty or absent', () => {
    const parts = { timestamp: '1700000000000', method: 'GET', path: '/v1/y' };

    expect(signingString(parts).toString()).toBe('1700000000000.GET./v1/y..');
    expect(signingString({ ...parts, body: '' }).toString()).toBe('1700000000000.GET./v1/y..');
    expect(signingString({ ...parts, body: Buffer.alloc(0) }).toString()).toBe('1700000000000.GET./v1/y..');
  });

  it('keeps body bytes that are not valid UTF-8', () => {
    const body = Buffer.from([0x0a, 0xff, 0x00, 0xfe]);

    const sut = signingString({ timestamp: 1, method: 'GRPC', path: '/s/M', body });

    expect(sut.subarray(sut.length - 4)).toEqual(body);
  });
});

describe(signRequest.name, () => {
  it('matches the README example, computed with openssl', () => {
    const { signature, ...input } = README_EXAMPLE;

    expect(signRequest(input)).toBe(signature);
  });

  it('signs the idempotency key: another key, or none, gives another signature', () => {
    const { signature: _signature, idempotencyKey, ...input } = README_EXAMPLE;
    const signed = signRequest({ ...input, idempotencyKey });

    expect(signRequest({ ...input, idempotencyKey: `${idempotencyKey}-again` })).not.toBe(signed);
    expect(signRequest(input)).not.toBe(signed);
  });

  it('matches an openssl vector for a GET with a query string and a secret containing colons', () => {
    const sut = signRequest({
      secret: 'k:with:colons',
      timestamp: 1700000000000,
      method: 'GET',
      path: '/v1/sessions/s-1?player_id=p%201',
      body: '',
    });

    expect(sut).toBe('b0acbe69e6817f079bc42ac1557dedc48f1eb79feb6e1b62611163e190facb4f');
  });

  it('matches an openssl vector for a gRPC call with binary protobuf bytes', () => {
    const sut = signRequest({
      secret: 'grpc-secret',
      timestamp: 1700000000000,
      method: 'GRPC',
      path: '/pitboss.gateway.v1.BetGateway/AuthorizeBet',
      idempotencyKey: 'authorize:bet-1',
      body: Buffer.from([0x0a, 0x05, ...Buffer.from('bet-1'), 0x10, 0xfa, 0x01]),
    });

    expect(sut).toBe('22b6675c1406ea99ac54c12ca97faef2dd8e0b6e7ae068735a94c9dfe6ff3f9f');
  });

  it('signs a string body and its UTF-8 bytes alike', () => {
    const body = '{"player":"Zoë","amount":{"minor_units":100,"currency":"EUR"}}';
    const parts = { secret: 's', timestamp: 1700000000000, method: 'POST', path: '/v1/bets' };

    expect(signRequest({ ...parts, body })).toBe(signRequest({ ...parts, body: Buffer.from(body, 'utf8') }));
    expect(signRequest({ ...parts, body })).toBe(
      signRequest({ ...parts, body: new Uint8Array(Buffer.from(body, 'utf8')) }),
    );
  });

  it('is lower-case hex of 32 bytes', () => {
    expect(signRequest({ secret: 's', timestamp: 1, method: 'GET', path: '/' })).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe(signedHeaders.name, () => {
  it('returns the three signature headers and the idempotency key it signed', () => {
    const { signature, ...input } = README_EXAMPLE;

    expect(signedHeaders({ ...input, tenantId: 'demo-tenant' })).toEqual({
      'x-tenant-id': 'demo-tenant',
      'x-timestamp': '1735689600000',
      'x-signature': signature,
      'x-idempotency-key': 'authorize:bet-1',
    });
  });

  it('adds no idempotency key header when none was signed', () => {
    const { signature: _signature, idempotencyKey: _key, ...input } = README_EXAMPLE;

    expect(Object.keys(signedHeaders({ ...input, tenantId: 'demo-tenant' }))).toEqual([
      'x-tenant-id',
      'x-timestamp',
      'x-signature',
    ]);
  });
});
