import { ConfigError } from './env';
import { requireAtLeast, requireGreater } from './setting-rules';

describe('setting rules', () => {
  const a = (value: number) => ({ name: 'A_MS', value });
  const b = (value: number) => ({ name: 'B_MS', value });

  it('requireGreater refuses equal or smaller with one line naming both settings and why', () => {
    expect(() => requireGreater(a(2), b(1), 'why')).not.toThrow();
    expect(() => requireGreater(a(1), b(1), 'why')).toThrow(
      new ConfigError('A_MS (1) must be greater than B_MS (1): why'),
    );
  });

  it('requireAtLeast allows equality', () => {
    expect(() => requireAtLeast(a(1), b(1), 'why')).not.toThrow();
    expect(() => requireAtLeast(a(0), b(1), 'why')).toThrow('A_MS (0) must be at least B_MS (1): why');
  });
});
