import { type K8sObject } from './manifests';
import { checkPolicies } from './policies';

const IMAGE = 'registry.example/pitboss/bet-gateway:1.2.3';
const labels = { 'app.kubernetes.io/name': 'svc', 'pitboss.io/service': 'svc' };

function container(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'svc',
    image: IMAGE,
    resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
    livenessProbe: { httpGet: { path: '/health/live', port: 'http' } },
    readinessProbe: { httpGet: { path: '/health/ready', port: 'http' } },
    securityContext: {
      runAsNonRoot: true,
      runAsUser: 1000,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
    },
    ...overrides,
  };
}

function rollout(containerOverrides: Record<string, unknown> = {}): K8sObject {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: { name: 'svc' },
    spec: { template: { metadata: { labels }, spec: { containers: [container(containerOverrides)] } } },
  };
}

const pdb: K8sObject = {
  apiVersion: 'policy/v1',
  kind: 'PodDisruptionBudget',
  metadata: { name: 'svc' },
  spec: { selector: { matchLabels: { 'app.kubernetes.io/name': 'svc' } } },
};
const networkPolicy: K8sObject = {
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name: 'svc' },
  spec: {
    podSelector: { matchLabels: { 'pitboss.io/service': 'svc' } },
    egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/16' } }] }],
  },
};
const context = { expectedImages: new Set([IMAGE]) };

describe(checkPolicies.name, () => {
  it('passes a compliant workload', () => {
    expect(checkPolicies([rollout(), pdb, networkPolicy], context)).toEqual([]);
  });

  it.each([
    ['resources', { resources: {} }, /resources.requests/],
    ['memory limit', { resources: { requests: { cpu: '1', memory: '1Gi' } } }, /limits.memory/],
    ['probes', { livenessProbe: undefined }, /livenessProbe and readinessProbe/],
    [
      'non-root',
      { securityContext: { ...(container()['securityContext'] as object), runAsUser: 0 } },
      /non-root/,
    ],
    [
      'read-only root',
      { securityContext: { ...(container()['securityContext'] as object), readOnlyRootFilesystem: false } },
      /readOnlyRootFilesystem/,
    ],
    [
      'capabilities',
      { securityContext: { ...(container()['securityContext'] as object), capabilities: {} } },
      /drop must include ALL/,
    ],
    ['latest', { image: 'registry.example/pitboss/bet-gateway:latest' }, /uses :latest/],
    ['no tag', { image: 'registry.example/pitboss/bet-gateway' }, /has no tag/],
    ['image not from values', { image: 'docker.io/library/node:20.1.0' }, /not the one its values name/],
  ])('refuses a container without %s', (_what, overrides, expected) => {
    const problems = checkPolicies([rollout(overrides), pdb, networkPolicy], context);
    expect(problems).toEqual(expect.arrayContaining([expect.stringMatching(expected)]));
  });

  it('refuses a long-running workload without a PodDisruptionBudget', () => {
    expect(checkPolicies([rollout(), networkPolicy], context)).toEqual([
      'Rollout/svc: no PodDisruptionBudget selects its pods',
    ]);
  });

  it('refuses a workload no NetworkPolicy selects', () => {
    expect(checkPolicies([rollout(), pdb], context)).toEqual([
      'Rollout/svc: no NetworkPolicy selects its pods',
    ]);
  });

  it('refuses an egress rule without destination, which would allow every address', () => {
    const open = {
      ...networkPolicy,
      spec: { podSelector: { matchLabels: labels }, egress: [{ ports: [{ port: 443 }] }] },
    };
    expect(checkPolicies([rollout(), pdb, open], context)).toEqual([
      'NetworkPolicy/svc: egress rule 0 has no destination (it would allow every address)',
    ]);
  });

  it('checks the pod template of a CronJob too', () => {
    const cron: K8sObject = {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'run' },
      spec: {
        jobTemplate: {
          spec: {
            template: { metadata: { labels }, spec: { containers: [container({ image: 'x:latest' })] } },
          },
        },
      },
    };
    expect(checkPolicies([cron, networkPolicy], context)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/CronJob\/run container svc: image x:latest uses :latest/),
      ]),
    );
  });
});
