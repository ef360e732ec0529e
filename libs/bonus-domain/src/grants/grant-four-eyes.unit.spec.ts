import { grantHoldReason } from './grant-four-eyes';

const eur = (minor_units: number) => ({ minor_units, currency: 'EUR' });

describe(grantHoldReason.name, () => {
  it('given a manual adjustment, when it is any size, then it waits for a second person', () => {
    expect(grantHoldReason({ trigger: 'manual', amount: eur(1), thresholdMinor: 100_000 })).toBe('manual');
    expect(grantHoldReason({ trigger: 'manual', amount: eur(1), thresholdMinor: null })).toBe('manual');
  });

  it('given a threshold, when the bonus is above it, then it waits; at the threshold it is issued', () => {
    expect(grantHoldReason({ trigger: 'api', amount: eur(100_001), thresholdMinor: 100_000 })).toBe(
      'above_threshold',
    );
    expect(grantHoldReason({ trigger: 'api', amount: eur(100_000), thresholdMinor: 100_000 })).toBeNull();
  });

  it('given no threshold, when the bonus is large, then one person issues it', () => {
    expect(grantHoldReason({ trigger: 'api', amount: eur(10_000_000), thresholdMinor: null })).toBeNull();
  });
});
