// The pure half of `npm run security:audit`: which advisories of an `npm audit --json` report fail the build.

export type Severity = 'info' | 'low' | 'moderate' | 'high' | 'critical';

/** One advisory against one installed package, as `npm audit --json` (npm 7+) reports it. */
export interface Advisory {
  readonly id: string; // GHSA-xxxx-xxxx-xxxx (from the advisory URL), else npm's numeric source id
  readonly packageName: string;
  readonly severity: Severity;
  readonly title: string;
  readonly url: string;
  readonly range: string;
}

/** A reviewed exception: this advisory on this package is accepted until `expires` (YYYY-MM-DD, inclusive). */
export interface AllowListEntry {
  readonly advisory: string;
  readonly package: string;
  readonly reason: string;
  readonly reviewedBy: string;
  readonly reviewedOn: string;
  readonly expires: string;
}

export interface AuditDecision {
  /** High or critical production advisories no valid entry covers: the build fails. */
  readonly failing: readonly Advisory[];
  /** High or critical production advisories covered by an unexpired entry. */
  readonly allowed: ReadonlyArray<{ advisory: Advisory; entry: AllowListEntry }>;
  /** Entries past their expiry date: the build fails until they are reviewed again or removed. */
  readonly expired: readonly AllowListEntry[];
}

const BLOCKING: ReadonlySet<Severity> = new Set(['high', 'critical']);

interface AuditViaObject {
  source?: number;
  name?: string;
  title?: string;
  url?: string;
  severity?: Severity;
  range?: string;
}

/** Every advisory of a report; a `via` that is a package name (a transitive path) is reported under that name. */
export function advisoriesOf(report: unknown): Advisory[] {
  const vulnerabilities = (report as { vulnerabilities?: Record<string, { via?: unknown[] }> })
    .vulnerabilities;
  if (vulnerabilities === undefined || typeof vulnerabilities !== 'object')
    throw new Error('not an npm audit --json report (no "vulnerabilities")');
  const seen = new Map<string, Advisory>();
  for (const entry of Object.values(vulnerabilities)) {
    for (const via of entry.via ?? []) {
      if (typeof via !== 'object' || via === null) continue;
      const { source, name, title, url, severity, range } = via as AuditViaObject;
      if (name === undefined || severity === undefined) continue;
      const id = /GHSA-\w{4}-\w{4}-\w{4}/.exec(url ?? '')?.[0] ?? String(source);
      seen.set(`${id} ${name}`, {
        id,
        packageName: name,
        severity,
        title: title ?? '',
        url: url ?? '',
        range: range ?? '',
      });
    }
  }
  return [...seen.values()].sort(
    (a, b) => a.id.localeCompare(b.id) || a.packageName.localeCompare(b.packageName),
  );
}

/** `today` as YYYY-MM-DD (UTC); an entry is valid through its `expires` day. */
export function decide(
  advisories: readonly Advisory[],
  allowList: readonly AllowListEntry[],
  today: string,
): AuditDecision {
  const expired = allowList.filter((entry) => entry.expires < today);
  const valid = allowList.filter((entry) => entry.expires >= today);
  const failing: Advisory[] = [];
  const allowed: Array<{ advisory: Advisory; entry: AllowListEntry }> = [];
  for (const advisory of advisories.filter(({ severity }) => BLOCKING.has(severity))) {
    const entry = valid.find(
      (candidate) => candidate.advisory === advisory.id && candidate.package === advisory.packageName,
    );
    if (entry) allowed.push({ advisory, entry });
    else failing.push(advisory);
  }
  return { failing, allowed, expired };
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const FIELDS = ['advisory', 'package', 'reason', 'reviewedBy', 'reviewedOn', 'expires'] as const;

/** The allow-list file's entries, each with every field (dates as YYYY-MM-DD); a malformed entry throws. */
export function parseAllowList(json: unknown): AllowListEntry[] {
  const entries = (json as { entries?: unknown }).entries;
  if (!Array.isArray(entries)) throw new Error('audit allow-list: expected {"entries": [...]}');
  return entries.map((entry: Record<string, unknown>, index) => {
    for (const field of FIELDS) {
      const value = entry[field];
      if (typeof value !== 'string' || value.trim() === '')
        throw new Error(`audit allow-list: entry ${index} has no ${field}`);
    }
    for (const field of ['reviewedOn', 'expires'] as const)
      if (!DATE.test(entry[field] as string))
        throw new Error(`audit allow-list: entry ${index}: ${field} is not YYYY-MM-DD`);
    return entry as unknown as AllowListEntry;
  });
}
