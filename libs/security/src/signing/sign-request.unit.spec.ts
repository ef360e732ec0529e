import { signedHeaders, signRequest } from './sign-request';
import { signingString } from './signing-string';

// Computed independently of this code:
//   printf '%s' '<signing string>' | openssl dgst -sha256 -hmac '<secret>' -hex
const README_EXAMPLE = {
  secret: 'demo-secret',
  timestamp: 1735689600000,
  method: 'POST',
  path: '/v1/bets/authorize?dry_run=false',
  body: '{"bet_id":"bet-1","amount":{"minor_units":250,"currency":"EUR"}}',
  signature: '42821b66c2566d65025c68c52cdda774c84123071aac1fb764dc7bce96d43325',
};

describe(signingString.name, () => {
  it('joins timestamp, upper-cased method, path with query and body with dots', () => {
    const sut = signingString({
      timestamp: 1700000000000,
      method: 'post',
      path: '/v1/x?a=1&b=2',
      body: '{}',
    });

    expect(sut.toString('utf8')).toBe('1700000000000.POST./v1/x?a=1&b=2.{}');
  });

  it('ends with the last dot when the body is empty or absent', () => {
    const parts = { timestamp: '1700000000000', method: 'GET', path: '/v1/y' };

    expect(signingString(parts).toString()).toBe('1700000000000.GET./v1/y.');
    expect(signingString({ ...parts, body: '' }).toString()).toBe('1700000000000.GET./v1/y.');
    expect(signingString({ ...parts, body: Buffer.alloc(0) }).toString()).toBe('1700000000000.GET./v1/y.');
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

  it('matches an openssl vector for a GET with a query string and a secret containing colons', () => {
    const sut = signRequest({
      secret: 'k:with:colons',
      timestamp: 1700000000000,
      method: 'GET',
      path: '/v1/sessions/s-1?player_id=p%201',
      body: '',
    });

    expect(sut).toBe('24b95e320a0d51d8ec5713f065eafeb628d68a7946d82825a05ddcf4a68d205a');
  });

  it('matches an openssl vector for a gRPC call with binary protobuf bytes', () => {
    const sut = signRequest({
      secret: 'grpc-secret',
      timestamp: 1700000000000,
      method: 'GRPC',
      path: '/pitboss.gateway.v1.BetGateway/AuthorizeBet',
      body: Buffer.from([0x0a, 0x05, ...Buffer.from('bet-1'), 0x10, 0xfa, 0x01]),
    });

    expect(sut).toBe('19a38c3f224f4247a0f93842d380cda0d7d9340514b982e6e29f4aacedddddb6');
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
  it('returns the three headers of a signed request', () => {
    const { signature, ...input } = README_EXAMPLE;

    expect(signedHeaders({ ...input, tenantId: 'demo-tenant' })).toEqual({
      'x-tenant-id': 'demo-tenant',
      'x-timestamp': '1735689600000',
      'x-signature': signature,
    });
  });
});
