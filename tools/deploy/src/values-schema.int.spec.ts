import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { chartDir, environmentValues, KUBE_VERSION, WORKSPACE } from './deploy-targets';
import { type HelmJob, runHelm } from './helm-engine';

// Helm's own engine (helm-java, a JVM): the chart's values.schema.json is what refuses these files.
describe('service chart values schema', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pitboss-values-'));
  const write = (name: string, text: string) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    return file;
  };
  const render = (valuesFiles: string[]): HelmJob => ({
    kind: 'template',
    chart: chartDir('bet-gateway'),
    release: 'bet-gateway',
    namespace: 'pitboss',
    kubeVersion: KUBE_VERSION,
    outFile: path.join(dir, `out-${valuesFiles.length}-${path.basename(valuesFiles.at(-1) ?? 'none')}.yaml`),
    valuesFiles,
  });

  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('renders production eu, and refuses a latest tag, a secret among the plain settings and an unknown key', async () => {
    const production = environmentValues('production', 'eu');
    const jobs: HelmJob[] = [
      { kind: 'dependency', chart: chartDir('bet-gateway') },
      render(production),
      render([...production, path.join(WORKSPACE, 'tools', 'deploy', 'fixtures', 'latest-tag.values.yaml')]),
      render([...production, write('secret.yaml', 'env:\n  DATABASE_URL: postgres://u:p@db/pitboss\n')]),
      render([...production, write('typo.yaml', 'replicaz: 3\n')]),
    ];
    const [dependency, ok, latest, secret, typo] = await runHelm(jobs, () => undefined);

    expect(dependency?.failure).toBeUndefined();
    expect(ok?.failure).toBeUndefined();
    expect(fs.readFileSync(jobs[1]?.kind === 'template' ? jobs[1].outFile : '', 'utf8')).toContain(
      'kind: Rollout',
    );
    expect(latest?.failure).toMatch(/schema/i);
    expect(latest?.failure).toMatch(/tag/);
    expect(secret?.failure).toMatch(/schema/i);
    expect(secret?.failure).toMatch(/DATABASE_URL|env/);
    expect(typo?.failure).toMatch(/replicaz/);
  });
});
