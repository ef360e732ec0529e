/**
 * `npm run deploy:check`: everything about docker/, charts/, argocd/ and terraform/ that can be checked offline. Prints
 * each step with its time and exits 1 listing every problem found.
 */
import fs from 'node:fs';
import path from 'node:path';

import { argocdManifests } from './argocd-manifests';
import { imageOf, targetValues } from './chart-values';
import { CHARTS_DIR, chartDir, renderTargets, SERVICES, targetName, WORKSPACE } from './deploy-targets';
import { DOCKERFILES, lintDockerfiles } from './dockerfile-lint';
import { type HelmJob } from './helm-engine';
import { type K8sObject, parseManifests } from './manifests';
import { validateWithModels } from './model-validation';
import { checkPolicies } from './policies';
import { promqlExpressions, promqlSyntaxError } from './promql';
import { promqlTypeErrors } from './promql-analysis';
import { renderCharts } from './render-charts';
import { checkTerraform } from './terraform-check';
import { findUnknownFields } from './unknown-fields';

const BROKEN_VALUES = path.join(WORKSPACE, 'tools', 'deploy', 'fixtures', 'latest-tag.values.yaml');
const started = Date.now();
const problems: string[] = [];

function step(title: string, since: number, found: readonly string[]): void {
  problems.push(...found);
  const seconds = ((Date.now() - since) / 1000).toFixed(1);
  console.log(
    `deploy:check: ${title}: ${found.length === 0 ? 'ok' : `${found.length} problem(s)`} (${seconds} s)`,
  );
  for (const problem of found) console.log(`  ✗ ${problem}`);
}

function sameSchemas(): string[] {
  const canonical = fs.readFileSync(
    path.join(CHARTS_DIR, 'pitboss-lib', 'service-values.schema.json'),
    'utf8',
  );
  return SERVICES.filter(
    (service) => fs.readFileSync(path.join(chartDir(service), 'values.schema.json'), 'utf8') !== canonical,
  ).map(
    (service) =>
      `charts/${service}/values.schema.json differs from charts/pitboss-lib/service-values.schema.json (copy it)`,
  );
}

async function main(): Promise<void> {
  let since = Date.now();
  step(
    `Dockerfile lint (dockerfile-utils, non-root USER, HEALTHCHECK, init) of ${DOCKERFILES.length} file(s)`,
    since,
    lintDockerfiles(),
  );

  since = Date.now();
  step('values schemas identical', since, sameSchemas());

  since = Date.now();
  const targets = renderTargets();
  const mustFail: HelmJob = {
    kind: 'template',
    chart: chartDir('bet-gateway'),
    release: 'schema-probe',
    namespace: 'pitboss',
    kubeVersion: '1.30.0',
    outFile: path.join(WORKSPACE, '.stack', 'deploy', 'schema-probe.yaml'),
    valuesFiles: [BROKEN_VALUES],
  };
  const run = await renderCharts(targets, { extraJobs: [mustFail], log: console.log });
  const probe = run.extra[0];
  const schemaProbe =
    probe?.failure?.includes('schema') === true
      ? []
      : [
          `a values file with image.tag "latest" was not refused by the schema (${probe?.failure ?? 'it rendered'})`,
        ];
  step(
    `helm (helm-java): dependency + lint --strict of ${SERVICES.length} charts, ${targets.length} renders, schema refusal`,
    since,
    [...run.failures, ...schemaProbe],
  );

  since = Date.now();
  const all: { source: string; object: K8sObject }[] = [];
  const modelProblems: string[] = [];
  const policyProblems: string[] = [];
  for (const { target, file } of run.rendered) {
    const source = targetName(target);
    const objects = parseManifests(fs.readFileSync(file, 'utf8'), source);
    all.push(...objects.map((object) => ({ source, object })));
    modelProblems.push(...(await validateWithModels(objects, source)));
    policyProblems.push(
      ...checkPolicies(objects, { expectedImages: new Set([imageOf(targetValues(target))]) }).map(
        (problem) => `${source}: ${problem}`,
      ),
    );
  }
  const argocd = argocdManifests();
  all.push(...argocd);
  for (const { source, object } of argocd)
    modelProblems.push(...(await validateWithModels([object], source)));
  step(`kubernetes-models validation of ${all.length} objects (charts and argocd/)`, since, modelProblems);

  since = Date.now();
  step("unknown fields (the models' TypeScript declarations)", since, findUnknownFields(all));

  since = Date.now();
  step(
    'policies (resources, probes, non-root, read-only root, capabilities, PDB, NetworkPolicy, images)',
    since,
    policyProblems,
  );

  since = Date.now();
  const expressions = promqlExpressions(all.map((entry) => entry.object));
  const unique = new Map(expressions.map((e) => [e.expr, e.where]));
  const syntax = [...unique].flatMap(([expr, where]) => {
    const at = promqlSyntaxError(expr);
    if (at !== undefined) return [`${where}: PromQL syntax error at ${at}: ${expr.trim()}`];
    return promqlTypeErrors(expr).map((message) => `${where}: ${message}: ${expr.trim()}`);
  });
  step(
    `PromQL parse (lezer-promql) and analysis (codemirror-promql) of ${unique.size} distinct expressions`,
    since,
    syntax,
  );

  since = Date.now();
  const terraform = checkTerraform();
  step('terraform fmt -check, init -backend=false, validate', since, terraform.failures);
  for (const note of terraform.notes) console.log(`  ${note}`);

  const total = ((Date.now() - started) / 1000).toFixed(1);
  if (problems.length > 0) {
    console.error(`deploy:check: ${problems.length} problem(s) in ${total} s`);
    process.exit(1);
  }
  console.log(`deploy:check: passed in ${total} s`);
}

main().catch((error: unknown) => {
  console.error(`deploy:check: ${(error as Error).stack ?? String(error)}`);
  process.exit(1);
});
