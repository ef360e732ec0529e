import { advisoriesOf, type AllowListEntry, decide, parseAllowList } from './audit-decision';

// The shape npm 10 writes for `npm audit --json` (trimmed): a direct advisory, and a package vulnerable only
// through another (a `via` that is a name).
const REPORT = {
  auditReportVersion: 2,
  vulnerabilities: {
    tar: {
      name: 'tar',
      severity: 'high',
      via: [
        {
          source: 1097493,
          name: 'tar',
          title: 'Arbitrary file creation',
          url: 'https://github.com/advisories/GHSA-f5x3-32g6-xq36',
          severity: 'high',
          range: '<6.2.1',
        },
      ],
    },
    'some-cli': { name: 'some-cli', severity: 'high', via: ['tar'] },
    semver: {
      name: 'semver',
      severity: 'moderate',
      via: [
        {
          source: 1101088,
          name: 'semver',
          title: 'ReDoS',
          url: 'https://github.com/advisories/GHSA-c2qf-rxjj-qqgw',
          severity: 'moderate',
          range: '<7.5.2',
        },
      ],
    },
  },
};

const entry = (overrides: Partial<AllowListEntry> = {}): AllowListEntry => ({
  advisory: 'GHSA-f5x3-32g6-xq36',
  package: 'tar',
  reason: 'only extracts our own archives',
  reviewedBy: 'lead',
  reviewedOn: '2026-12-01',
  expires: '2027-01-31',
  ...overrides,
});

describe(advisoriesOf.name, () => {
  it('lists each advisory once, by GHSA id, skipping transitive name-only entries', () => {
    expect(advisoriesOf(REPORT).map(({ id, packageName, severity }) => [id, packageName, severity])).toEqual([
      ['GHSA-c2qf-rxjj-qqgw', 'semver', 'moderate'],
      ['GHSA-f5x3-32g6-xq36', 'tar', 'high'],
    ]);
  });

  it('refuses what is not an audit report (an error answer of the endpoint)', () => {
    expect(() => advisoriesOf({ message: '405 Method Not Allowed' })).toThrow(/not an npm audit/);
  });
});

describe(decide.name, () => {
  const advisories = advisoriesOf(REPORT);

  it('fails on a high advisory no entry covers, never on a moderate one', () => {
    const decision = decide(advisories, [], '2026-12-02');

    expect(decision.failing.map(({ id }) => id)).toEqual(['GHSA-f5x3-32g6-xq36']);
    expect(decision.allowed).toEqual([]);
  });

  it('accepts it while an entry for that advisory and package is unexpired, through the expiry day', () => {
    for (const today of ['2026-12-02', '2027-01-31']) {
      const decision = decide(advisories, [entry()], today);
      expect(decision.failing).toEqual([]);
      expect(decision.allowed.map(({ advisory }) => advisory.id)).toEqual(['GHSA-f5x3-32g6-xq36']);
    }
  });

  it('fails once the entry expired, and reports the expired entry', () => {
    const decision = decide(advisories, [entry()], '2027-02-01');

    expect(decision.failing.map(({ id }) => id)).toEqual(['GHSA-f5x3-32g6-xq36']);
    expect(decision.expired).toEqual([entry()]);
  });

  it('reports an expired entry even when its advisory is gone', () => {
    expect(decide([], [entry({ expires: '2026-11-30' })], '2026-12-02').expired).toHaveLength(1);
  });

  it('does not let an entry for another package or advisory cover it', () => {
    for (const other of [entry({ package: 'tar-fs' }), entry({ advisory: 'GHSA-xxxx-xxxx-xxxx' })]) {
      expect(decide(advisories, [other], '2026-12-02').failing).toHaveLength(1);
    }
  });
});

describe(parseAllowList.name, () => {
  it('reads a well-formed file', () => {
    expect(parseAllowList({ entries: [entry()] })).toEqual([entry()]);
  });

  it.each([
    ['a missing reason', { entries: [{ ...entry(), reason: '' }] }, /no reason/],
    ['a bad date', { entries: [entry({ expires: '31.01.2027' })] }, /expires is not YYYY-MM-DD/],
    ['no entries array', {}, /expected/],
  ])('refuses %s', (_name, json, message) => {
    expect(() => parseAllowList(json)).toThrow(message);
  });
});
