import { ConfigError } from '@pitboss/platform-config';

import { creditsZeroWin, zeroWinCreditSetting } from './zero-win-credit.setting';

describe(zeroWinCreditSetting.name, () => {
  it('given nothing set, credits zero wins for every tenant', () => {
    const setting = zeroWinCreditSetting({});

    expect(creditsZeroWin(setting, 'any-tenant')).toBe(true);
  });

  it('given tenant overrides, applies them and the default to everyone else', () => {
    const setting = zeroWinCreditSetting({
      WALLET_ZERO_WIN_CREDIT_TENANTS: ' tenant-a:false , tenant-b:true,',
    });

    expect(creditsZeroWin(setting, 'tenant-a')).toBe(false);
    expect(creditsZeroWin(setting, 'tenant-b')).toBe(true);
    expect(creditsZeroWin(setting, 'tenant-c')).toBe(true);
  });

  it('given the default turned off, credits zero wins only for the tenants turned on', () => {
    const setting = zeroWinCreditSetting({
      WALLET_ZERO_WIN_CREDIT: 'false',
      WALLET_ZERO_WIN_CREDIT_TENANTS: 'tenant-b:true',
    });

    expect(creditsZeroWin(setting, 'tenant-a')).toBe(false);
    expect(creditsZeroWin(setting, 'tenant-b')).toBe(true);
  });

  it('separates at the last colon, so a tenant id may contain one', () => {
    expect(
      creditsZeroWin(
        zeroWinCreditSetting({ WALLET_ZERO_WIN_CREDIT_TENANTS: 'eu:tenant:false' }),
        'eu:tenant',
      ),
    ).toBe(false);
  });

  it.each([
    [{ WALLET_ZERO_WIN_CREDIT: 'yes' }, 'WALLET_ZERO_WIN_CREDIT must be true or false, got "yes"'],
    [{ WALLET_ZERO_WIN_CREDIT: 'TRUE' }, 'WALLET_ZERO_WIN_CREDIT must be true or false, got "TRUE"'],
    [{ WALLET_ZERO_WIN_CREDIT_TENANTS: 'tenant-a' }, '"tenant-a" is not tenant_id:true|false'],
    [{ WALLET_ZERO_WIN_CREDIT_TENANTS: ':false' }, '":false" is not tenant_id:true|false'],
    [
      { WALLET_ZERO_WIN_CREDIT_TENANTS: 'tenant-a:off' },
      '(tenant "tenant-a") must be true or false, got "off"',
    ],
    [{ WALLET_ZERO_WIN_CREDIT_TENANTS: 'tenant-a:false,tenant-a:true' }, 'lists tenant "tenant-a" twice'],
  ])('refuses %j with a one-line reason', (env, reason) => {
    const refuse = () => zeroWinCreditSetting(env);

    expect(refuse).toThrow(ConfigError);
    expect(refuse).toThrow(reason);
  });
});
