import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';

import {
  createTestSchema,
  provisionTestTopics,
  type ServiceProcess,
  startMoneyFleet,
  startServiceProcess,
  type MoneyFleet,
  type TestSchema,
  type TestTopics,
} from '@pitboss/testing';

import { renderTargets, type Service, SERVICES, WORKSPACE } from './deploy-targets';
import { parseManifests } from './manifests';
import { isExported, metricNames, promqlExpressions } from './promql';
import { renderCharts } from './render-charts';

const WIRING_ONLY = ['bonus-grant', 'wagering-progress', 'reconciliation'] as const;
/** Services without a database of their own. */
const WITHOUT_SCHEMA = ['noc'] as const;

/**
 * Every metric name the charts' alerts, canary analyses, KEDA triggers and dashboards select is exported on the
 * /metrics of the service whose chart uses it, scraped from the real built services on the real stack.
 */
describe('metrics the charts use', () => {
  let fleet: MoneyFleet;
  let topics: TestTopics;
  const schemas: TestSchema[] = [];
  const processes: ServiceProcess[] = [];
  const urls = new Map<Service, string>();

  beforeAll(async () => {
    execFileSync(
      'npx',
      [
        'nx',
        'run-many',
        '-t',
        'build',
        '--projects',
        [...WIRING_ONLY, ...WITHOUT_SCHEMA].join(','),
        '--outputStyle=static',
      ],
      {
        cwd: WORKSPACE,
        stdio: 'ignore',
      },
    );
    fleet = await startMoneyFleet({ label: 'chartmetrics' });
    urls.set('bet-gateway', fleet.gateway.url);
    urls.set('settle-worker', fleet.worker?.url ?? '');
    topics = await provisionTestTopics('chartmetrics-promo');
    const relay = await startServiceProcess('outbox-relay', {
      env: { ...topics.env, RELAY_SOURCES: fleet.gatewaySchema },
    });
    processes.push(relay);
    urls.set('outbox-relay', relay.url);
    for (const service of WIRING_ONLY) {
      const schema = await createTestSchema([], service.replace(/-/g, '_'));
      schemas.push(schema);
      const started = await startServiceProcess(service, {
        env: { ...topics.env, DATABASE_SCHEMA: schema.schema },
      });
      processes.push(started);
      urls.set(service, started.url);
    }
    for (const service of WITHOUT_SCHEMA) {
      const started = await startServiceProcess(service, { env: topics.env });
      processes.push(started);
      urls.set(service, started.url);
    }
  }, 240_000);

  afterAll(async () => {
    await Promise.all(processes.map((p) => p.kill().catch(() => undefined)));
    await fleet?.stop();
    await topics?.cleanup();
    await Promise.all(schemas.map((schema) => schema.drop()));
  });

  it('are all exported by the services that use them', async () => {
    const run = await renderCharts(renderTargets({ environment: 'production', region: 'eu' }), {
      lint: false,
      outDir: path.join(WORKSPACE, '.stack', 'deploy', 'metrics-check'),
      log: () => undefined,
    });
    expect(run.failures).toEqual([]);
    const missing: string[] = [];
    let checked = 0;
    for (const { target, file } of run.rendered) {
      const exposition = await (await fetch(`${urls.get(target.service)}/metrics`)).text();
      const objects = parseManifests(fs.readFileSync(file, 'utf8'), target.service);
      for (const { where, expr } of promqlExpressions(objects)) {
        for (const name of metricNames(expr)) {
          checked += 1;
          if (!isExported(name, exposition)) missing.push(`${target.service}: ${where}: ${name}`);
        }
      }
    }
    expect(run.rendered.map((r) => r.target.service).sort()).toEqual([...SERVICES].sort());
    expect(checked).toBeGreaterThan(50);
    expect(missing).toEqual([]);
  });
});
