import fs from 'node:fs';
import path from 'node:path';

import {
  chartDir,
  DEPLOY_CACHE,
  KUBE_VERSION,
  NAMESPACE,
  type RenderTarget,
  SERVICES,
  targetName,
} from './deploy-targets';
import { type HelmJob, type HelmJobResult, runHelm } from './helm-engine';

export interface RenderedTarget {
  readonly target: RenderTarget;
  readonly file: string;
}

export interface RenderRun {
  readonly rendered: RenderedTarget[];
  /** Dependency, lint and template failures, one line each. */
  readonly failures: string[];
  /** Jobs the caller added (e.g. a values file that must be refused), with their outcome. */
  readonly extra: HelmJobResult[];
}

export function renderedFile(outDir: string, target: RenderTarget): string {
  return path.join(outDir, `${target.environment}-${target.region}`, `${target.service}.yaml`);
}

/**
 * Builds each chart's dependency on pitboss-lib, lints each chart strictly (with its own values), then renders
 * every target, all in one JVM.
 */
export async function renderCharts(
  targets: readonly RenderTarget[],
  options: { outDir?: string; lint?: boolean; extraJobs?: readonly HelmJob[]; log: (line: string) => void },
): Promise<RenderRun> {
  const outDir = options.outDir ?? path.join(DEPLOY_CACHE, 'rendered');
  const services = [...new Set(targets.map((t) => t.service))].sort(
    (a, b) => SERVICES.indexOf(a) - SERVICES.indexOf(b),
  );
  const setup: HelmJob[] = services.map((service) => ({ kind: 'dependency', chart: chartDir(service) }));
  const lints: HelmJob[] =
    options.lint === false ? [] : services.map((service) => ({ kind: 'lint', chart: chartDir(service) }));
  const templates = targets.map((target) => {
    const file = renderedFile(outDir, target);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const job: HelmJob = {
      kind: 'template',
      chart: chartDir(target.service),
      release: target.service,
      namespace: NAMESPACE,
      kubeVersion: KUBE_VERSION,
      outFile: file,
      valuesFiles: target.valuesFiles,
    };
    return { target, file, job };
  });
  const extra = options.extraJobs ?? [];
  const results = await runHelm([...setup, ...lints, ...templates.map((t) => t.job), ...extra], options.log);
  const failures: string[] = [];
  results.slice(0, setup.length + lints.length).forEach((result) => {
    if (result.failure !== undefined)
      failures.push(`helm ${result.job.kind} ${path.basename(result.job.chart)}: ${result.failure}`);
  });
  const templateResults = results.slice(setup.length + lints.length, results.length - extra.length);
  templateResults.forEach((result, index) => {
    const entry = templates[index];
    if (entry !== undefined && result.failure !== undefined)
      failures.push(`helm template ${targetName(entry.target)}: ${result.failure}`);
  });
  return {
    rendered: templates.filter((_, index) => templateResults[index]?.failure === undefined),
    failures,
    extra: results.slice(results.length - extra.length),
  };
}
