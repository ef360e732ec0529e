import fs from 'node:fs';
import path from 'node:path';

import { parse } from 'yaml';

import { CHARTS_DIR, chartDir, type RenderTarget } from './deploy-targets';
import { isObject } from './manifests';

/** Helm's coalescing as far as these charts need it: maps merge key by key, anything else is replaced. */
export function mergeValues(base: unknown, override: unknown): unknown {
  if (!isObject(base) || !isObject(override)) return override === undefined ? base : override;
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) merged[key] = mergeValues(base[key], value);
  return merged;
}

function load(file: string): unknown {
  return parse(fs.readFileSync(file, 'utf8')) ?? {};
}

/** A target's values as pitboss-lib sees them: library defaults, the chart's values, then the env files. */
export function targetValues(target: RenderTarget): Record<string, unknown> {
  const files = [
    path.join(CHARTS_DIR, 'pitboss-lib', 'values.yaml'),
    path.join(chartDir(target.service), 'values.yaml'),
    ...target.valuesFiles,
  ];
  const merged = files.reduce<unknown>((values, file) => mergeValues(values, load(file)), {});
  return isObject(merged) ? merged : {};
}

/** The one image reference the values name: registry/name:tag, or registry/name@digest when pinned. */
export function imageOf(values: Record<string, unknown>): string {
  const image = isObject(values['image']) ? values['image'] : {};
  const ref = `${String(image['registry'])}/${String(image['name'])}`;
  return image['digest'] ? `${ref}@${String(image['digest'])}` : `${ref}:${String(image['tag'])}`;
}
