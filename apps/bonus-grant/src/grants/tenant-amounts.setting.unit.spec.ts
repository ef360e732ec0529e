import { ConfigError } from '@pitboss/platform-config';

import { amountFor, tenantAmounts } from './tenant-amounts.setting';

describe(tenantAmounts.name, () => {
  const name = 'GRANT_FOUR_EYES_ABOVE_MINOR';

  it('takes the default for every tenant when nothing is set', () => {
    const sut = tenantAmounts(name, 100_000, {});
    expect(amountFor(sut, 'brand-a')).toBe(100_000);
  });

  it('reads the default and per-tenant overrides, off meaning no threshold', () => {
    const sut = tenantAmounts(name, 100_000, {
      [name]: '50000',
      [`${name}_TENANTS`]: 'brand-a:2000, brand-b:off',
    });
    expect(amountFor(sut, 'brand-a')).toBe(2_000);
    expect(amountFor(sut, 'brand-b')).toBeNull();
    expect(amountFor(sut, 'brand-c')).toBe(50_000);
  });

  it.each([
    [{ [name]: '12.5' }],
    [{ [name]: '-1' }],
    [{ [`${name}_TENANTS`]: 'brand-a' }],
    [{ [`${name}_TENANTS`]: ':10' }],
    [{ [`${name}_TENANTS`]: 'brand-a:10,brand-a:20' }],
    [{ [`${name}_TENANTS`]: 'brand-a:ten' }],
  ])('stops the service on a bad value: %j', (env) => {
    expect(() => tenantAmounts(name, 100_000, env)).toThrow(ConfigError);
  });
});
