import { walletKeys } from './wallet-keys';

describe('walletKeys', () => {
  it('derives one key per bet and operation', () => {
    expect(walletKeys.debit('t1', 'b-42')).toBe('bet:t1:b-42:debit');
    expect(walletKeys.credit('t1', 'b-42')).toBe('bet:t1:b-42:credit');
    expect(walletKeys.rollback('t1', 'b-42')).toBe('bet:t1:b-42:rollback');
    expect(walletKeys.convert('t1', 'g-7')).toBe('grant:t1:g-7:convert');
  });

  it('is a pure function of its inputs', () => {
    expect(walletKeys.debit('t1', 'b')).toBe(walletKeys.debit('t1', 'b'));
    expect(walletKeys.debit('t1', 'b')).not.toBe(walletKeys.debit('t2', 'b'));
  });

  it('keeps bet ids with colons apart from tenants', () => {
    expect(walletKeys.debit('t1', 'x:y')).toBe('bet:t1:x:y:debit');
    expect(() => walletKeys.debit('t1:x', 'y')).toThrow(RangeError);
  });

  it.each([
    ['', 'b'],
    ['t', ''],
    ['t', 'has space'],
    ['t', 'x'.repeat(250)],
  ])('refuses tenant %j with bet %j', (tenantId, betId) => {
    expect(() => walletKeys.debit(tenantId, betId)).toThrow(RangeError);
  });
});
