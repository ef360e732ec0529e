/** One line of a Prometheus text exposition: `name{label="value",…} value`. */
export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** A line the parser could not read, with its 1-based number (the rest of the text is still read). */
export interface UnreadableLine {
  readonly line: number;
  readonly text: string;
}

export interface ParsedExposition {
  readonly samples: readonly Sample[];
  readonly unreadable: readonly UnreadableLine[];
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*/;

/**
 * Parses the Prometheus text format (version 0.0.4, what prom-client serves): comment, `# HELP` and `# TYPE`
 * lines are skipped, every sample line becomes a Sample; histogram and summary series stay as their `_bucket`,
 * `_sum` and `_count` samples (with `le` / `quantile` labels), which is what quantiles are computed from. The
 * optional timestamp after the value is ignored. A malformed line is reported and skipped, so one bad series
 * does not blank a whole service's panel.
 */
export function parsePrometheusText(text: string): ParsedExposition {
  const samples: Sample[] = [];
  const unreadable: UnreadableLine[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const sample = parseSampleLine(line);
    if (sample === null) unreadable.push({ line: index + 1, text: line });
    else samples.push(sample);
  });
  return { samples, unreadable };
}

function parseSampleLine(line: string): Sample | null {
  const name = NAME.exec(line)?.[0];
  if (name === undefined) return null;
  let rest = line.slice(name.length);
  let labels: Record<string, string> = {};
  if (rest.startsWith('{')) {
    const parsed = parseLabels(rest);
    if (parsed === null) return null;
    labels = parsed.labels;
    rest = rest.slice(parsed.length);
  }
  const fields = rest.trim().split(/\s+/);
  if (fields.length < 1 || fields.length > 2 || fields[0] === undefined || fields[0] === '') return null;
  const value = parseValue(fields[0]);
  return value === null ? null : { name, labels, value };
}

/** `{a="1",b="x\"y"}` → labels and the number of characters read, braces included; null when malformed. */
function parseLabels(text: string): { labels: Record<string, string>; length: number } | null {
  const labels: Record<string, string> = {};
  let at = 1;
  for (;;) {
    while (text[at] === ' ' || text[at] === ',') at++;
    if (text[at] === '}') return { labels, length: at + 1 };
    const labelName = LABEL_NAME.exec(text.slice(at))?.[0];
    if (labelName === undefined) return null;
    at += labelName.length;
    if (text[at] !== '=' || text[at + 1] !== '"') return null;
    at += 2;
    let value = '';
    for (;;) {
      const char = text[at];
      if (char === undefined) return null;
      if (char === '"') break;
      if (char === '\\') {
        const escaped = text[at + 1];
        if (escaped === 'n') value += '\n';
        else if (escaped === '\\' || escaped === '"') value += escaped;
        else return null;
        at += 2;
        continue;
      }
      value += char;
      at++;
    }
    at++;
    labels[labelName] = value;
  }
}

/** As Prometheus reads values (Go's ParseFloat): `NaN` and `Inf` in any case (prom-client writes `Nan`). */
function parseValue(text: string): number | null {
  const lower = text.toLowerCase();
  if (lower === '+inf' || lower === 'inf' || lower === '+infinity' || lower === 'infinity')
    return Number.POSITIVE_INFINITY;
  if (lower === '-inf' || lower === '-infinity') return Number.NEGATIVE_INFINITY;
  if (lower === 'nan') return Number.NaN;
  const value = Number(text);
  return Number.isNaN(value) ? null : value;
}

/** The bound of a bucket's `le` label as a number (`+Inf` → Infinity); NaN for a missing or bad label. */
export function bucketBound(labels: Readonly<Record<string, string>>): number {
  const le = labels['le'];
  if (le === undefined) return Number.NaN;
  return parseValue(le) ?? Number.NaN;
}
