import { inspect } from 'node:util';

import { ConfigError } from '@pitboss/platform-config';

import { LOCAL_DEV_TENANT_SECRETS, TenantSecrets } from './tenant-secrets';

describe(TenantSecrets.name, () => {
  it('parses comma-separated tenant_id:secret pairs, splitting on the first colon only', () => {
    const sut = TenantSecrets.parse('acme:s3cret, beta:a:b:c ,');

    expect(sut.tenantIds()).toEqual(['acme', 'beta']);
    expect(sut.secretsOf('acme')).toEqual(['s3cret']);
    expect(sut.secretsOf('beta')).toEqual(['a:b:c']);
    expect(sut.secretsOf('gamma')).toBeUndefined();
  });

  it('keeps two secrets for a tenant listed twice (rotation)', () => {
    const sut = TenantSecrets.parse('acme:new,beta:b,acme:old');

    expect(sut.secretsOf('acme')).toEqual(['new', 'old']);
  });

  it.each([
    ['no colon', 'acme'],
    ['an empty tenant id', ':secret'],
    ['an empty secret', 'acme:'],
    ['no tenant at all', ' , '],
    ['a third secret for one tenant', 'acme:a,acme:b,acme:c'],
    ['the same secret twice', 'acme:a,acme:a'],
    ['a tenant id with a space', 'ac me:a'],
    ['a tenant id with a brace', 'ac{me}:a'],
  ])('refuses %s', (_case, text) => {
    expect(() => TenantSecrets.parse(text)).toThrow(ConfigError);
  });

  it('does not echo a malformed entry, which may hold a secret', () => {
    expect(() => TenantSecrets.parse('acme:ok,very-secret-value')).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('very-secret-value') }),
    );
  });

  it('reads TENANT_SECRETS', () => {
    expect(TenantSecrets.fromEnv({ TENANT_SECRETS: 'acme:x' }).tenantIds()).toEqual(['acme']);
  });

  it('falls back to the local development tenant when TENANT_SECRETS is unset', () => {
    const sut = TenantSecrets.fromEnv({});

    expect(LOCAL_DEV_TENANT_SECRETS).toBe('demo-tenant:demo-secret');
    expect(sut.secretsOf('demo-tenant')).toEqual(['demo-secret']);
  });

  it('refuses to fall back in production', () => {
    expect(() => TenantSecrets.fromEnv({ NODE_ENV: 'production' })).toThrow(ConfigError);
    expect(() => TenantSecrets.fromEnv({ NODE_ENV: 'production', TENANT_SECRETS: ' ' })).toThrow(ConfigError);
  });

  it('never prints a secret', () => {
    const sut = TenantSecrets.parse('acme:top-secret');

    for (const printed of [String(sut), JSON.stringify(sut), inspect(sut), `${sut}`]) {
      expect(printed).toContain('acme');
      expect(printed).not.toContain('top-secret');
    }
  });
});
