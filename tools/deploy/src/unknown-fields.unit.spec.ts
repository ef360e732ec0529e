import { type K8sObject } from './manifests';
import { findUnknownFields } from './unknown-fields';

const service = (spec: Record<string, unknown>): K8sObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'svc' },
  spec,
});

describe(findUnknownFields.name, () => {
  it("accepts objects that use only their kind's fields, CRDs included", () => {
    const monitor: K8sObject = {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'ServiceMonitor',
      metadata: { name: 'svc' },
      spec: { selector: { matchLabels: { a: 'b' } }, endpoints: [{ port: 'http', relabelings: [] }] },
    };
    expect(
      findUnknownFields(
        [service({ ports: [{ port: 80 }] }), monitor].map((object) => ({ source: 't', object })),
      ),
    ).toEqual([]);
  });

  it('names an unknown field deep inside a core object', () => {
    const problems = findUnknownFields([
      { source: 't', object: service({ ports: [{ port: 80, targetPrt: 8080 }] }) },
    ]);
    expect(problems).toEqual([expect.stringMatching(/^t: Service\/svc: .*'"targetPrt"' does not exist/)]);
  });

  it.each([
    ['Rollout', 'argoproj.io/v1alpha1', { strategy: { canary: { stepz: [] } } }, 'stepz'],
    [
      'ScaledObject',
      'keda.sh/v1alpha1',
      { scaleTargetRef: { name: 'x' }, triggers: [], pollingIntervall: 1 },
      'pollingIntervall',
    ],
    ['PeerAuthentication', 'security.istio.io/v1beta1', { mtls: { mod: 'STRICT' } }, 'mod'],
    [
      'ExternalSecret',
      'external-secrets.io/v1beta1',
      { secretStoreRef: { name: 'x' }, refresh: '1h' },
      'refresh',
    ],
  ])('names an unknown field of a %s', (kind, apiVersion, spec, field) => {
    const object: K8sObject = { apiVersion, kind, metadata: { name: 'x' }, spec };
    expect(findUnknownFields([{ source: 't', object }])).toEqual([
      expect.stringContaining(`'"${field}"' does not exist`),
    ]);
  });
});
