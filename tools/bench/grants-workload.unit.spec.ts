import { type Action, buildWorkload, seededRandom, type WorkloadSettings } from './grants-workload';

const SETTINGS: WorkloadSettings = {
  players: 10,
  deposits: 40,
  redeliveries: 8,
  apiGrants: 30,
  apiRepeats: 6,
  budgetSharePct: 50,
  seed: 7,
};
const idOf = (action: Action) => (action.kind === 'deposit' ? action.depositId : action.key);
const isExtra = (action: Action) =>
  action.kind === 'deposit' ? action.delivery !== 'original' : action.repeat;

describe(buildWorkload.name, () => {
  it('given settings, when built, then it holds each original once and the extras asked for', () => {
    const actions = buildWorkload(SETTINGS);
    const originals = actions.filter((action) => !isExtra(action));
    expect(actions).toHaveLength(40 + 8 + 30 + 6);
    expect(new Set(originals.map(idOf)).size).toBe(originals.length);
    expect(originals.filter((action) => action.kind === 'deposit')).toHaveLength(40);
    const redelivered = actions.filter(
      (action) => action.kind === 'deposit' && action.delivery !== 'original',
    );
    expect(redelivered.map((action) => action.kind === 'deposit' && action.delivery)).toEqual(
      expect.arrayContaining(['same-event', 'new-event']),
    );
    expect(actions.filter((action) => action.kind === 'api' && action.repeat)).toHaveLength(6);
  });

  it('given an extra, then its original comes earlier, with the same player, amount and offer', () => {
    const actions = buildWorkload(SETTINGS);
    actions.forEach((action, index) => {
      if (!isExtra(action)) return;
      const original = actions.findIndex((other) => !isExtra(other) && idOf(other) === idOf(action));
      expect(original).toBeGreaterThanOrEqual(0);
      expect(original).toBeLessThan(index);
      const {
        delivery: _d,
        repeat: _r,
        ...same
      } = action as Action & { delivery?: unknown; repeat?: unknown };
      expect(actions[original]).toMatchObject(same);
    });
  });

  it('given the same seed, then the same workload; another seed, another order', () => {
    expect(buildWorkload(SETTINGS)).toEqual(buildWorkload(SETTINGS));
    expect(buildWorkload({ ...SETTINGS, seed: 8 }).map(idOf)).not.toEqual(buildWorkload(SETTINGS).map(idOf));
  });

  it('given a budget share, then only budget requests carry an amount, and players stay in range', () => {
    const actions = buildWorkload({ ...SETTINGS, budgetSharePct: 100 });
    for (const action of actions) {
      expect(action.player).toBeGreaterThanOrEqual(0);
      expect(action.player).toBeLessThan(10);
      if (action.kind === 'api')
        expect(action).toMatchObject({ offer: 'budget', amountMinor: expect.any(Number) });
    }
    const none = buildWorkload({ ...SETTINGS, budgetSharePct: 0 });
    for (const action of none)
      if (action.kind === 'api') expect(action).toMatchObject({ offer: 'api', amountMinor: undefined });
  });

  it('refuses extras without originals to repeat, and no players', () => {
    expect(() => buildWorkload({ ...SETTINGS, deposits: 0 })).toThrow(/redeliveries/);
    expect(() => buildWorkload({ ...SETTINGS, apiGrants: 0 })).toThrow(/repeated keys/);
    expect(() => buildWorkload({ ...SETTINGS, players: 0 })).toThrow(/player/);
  });
});

describe(seededRandom.name, () => {
  it('gives numbers in [0, 1), the same sequence for the same seed', () => {
    const a = seededRandom(1);
    const b = seededRandom(1);
    const values = Array.from({ length: 100 }, () => a());
    expect(values).toEqual(Array.from({ length: 100 }, () => b()));
    for (const value of values) expect(value >= 0 && value < 1).toBe(true);
  });
});
