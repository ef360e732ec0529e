import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { parse } from 'yaml';

const CHARTS = join(__dirname, '..', '..', 'charts');

/**
 * The trace sampler production runs, read from the charts that deploy it (the library chart's default sampler,
 * the production environment's ratio), so a benchmark measures what production pays for tracing without a copy
 * of the figure that could drift.
 */
export function productionSampler(): { OTEL_TRACES_SAMPLER: string; OTEL_TRACES_SAMPLER_ARG: string } {
  const base = envOf(join(CHARTS, 'pitboss-lib', 'values.yaml'));
  const production = envOf(join(CHARTS, 'environments', 'production', 'common.yaml'));
  const sampler = production['OTEL_TRACES_SAMPLER'] ?? base['OTEL_TRACES_SAMPLER'];
  const ratio = production['OTEL_TRACES_SAMPLER_ARG'] ?? base['OTEL_TRACES_SAMPLER_ARG'];
  if (sampler === undefined || ratio === undefined)
    throw new Error('the charts name no OTEL_TRACES_SAMPLER / OTEL_TRACES_SAMPLER_ARG for production');
  return { OTEL_TRACES_SAMPLER: sampler, OTEL_TRACES_SAMPLER_ARG: ratio };
}

function envOf(file: string): Record<string, string | undefined> {
  const values = parse(readFileSync(file, 'utf8')) as { env?: Record<string, unknown> } | null;
  return Object.fromEntries(Object.entries(values?.env ?? {}).map(([name, value]) => [name, String(value)]));
}
