import { isObject, type K8sObject, objectName } from './manifests';

/** What the images must be: exactly the ones the values name (registry/name:tag or @digest). */
export interface PolicyContext {
  readonly expectedImages: ReadonlySet<string>;
}

interface PodSpecOf {
  readonly owner: K8sObject;
  readonly labels: Record<string, string>;
  readonly spec: Record<string, unknown>;
  readonly longRunning: boolean;
}

const LONG_RUNNING = new Set(['Rollout', 'Deployment', 'StatefulSet', 'DaemonSet']);

function at(value: unknown, ...keys: string[]): unknown {
  let current = value;
  for (const key of keys) current = isObject(current) ? current[key] : undefined;
  return current;
}

function asRecord(value: unknown): Record<string, unknown> {
  return isObject(value) ? value : {};
}

function stringMap(value: unknown): Record<string, string> {
  return Object.fromEntries(
    Object.entries(asRecord(value)).filter(([, v]) => typeof v === 'string'),
  ) as Record<string, string>;
}

/** The pod templates of every workload kind (a CronJob's is two levels down). */
export function podSpecs(objects: readonly K8sObject[]): PodSpecOf[] {
  return objects.flatMap((owner): PodSpecOf[] => {
    const template =
      owner.kind === 'CronJob'
        ? at(owner, 'spec', 'jobTemplate', 'spec', 'template')
        : at(owner, 'spec', 'template');
    if (!['Rollout', 'Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob'].includes(owner.kind))
      return [];
    return [
      {
        owner,
        labels: stringMap(at(template, 'metadata', 'labels')),
        spec: asRecord(at(template, 'spec')),
        longRunning: LONG_RUNNING.has(owner.kind),
      },
    ];
  });
}

function matches(selector: unknown, labels: Record<string, string>): boolean {
  const matchLabels = stringMap(at(selector, 'matchLabels'));
  if (Object.keys(matchLabels).length === 0) return false; // an empty selector is namespace-wide, not the workload's
  return Object.entries(matchLabels).every(([key, value]) => labels[key] === value);
}

function containersOf(spec: Record<string, unknown>): Record<string, unknown>[] {
  const list = [...(Array.isArray(spec['containers']) ? spec['containers'] : [])];
  if (Array.isArray(spec['initContainers'])) list.push(...spec['initContainers']);
  return list.filter(isObject);
}

/** Every violation of the deployment policies, one line each; empty when the manifests comply. */
export function checkPolicies(objects: readonly K8sObject[], context: PolicyContext): string[] {
  const problems: string[] = [];
  const pdbs = objects.filter((o) => o.kind === 'PodDisruptionBudget');
  const policies = objects.filter((o) => o.kind === 'NetworkPolicy');
  for (const pod of podSpecs(objects)) {
    const where = objectName(pod.owner);
    const podSecurity = asRecord(pod.spec['securityContext']);
    if (pod.longRunning && !pdbs.some((pdb) => matches(at(pdb, 'spec', 'selector'), pod.labels)))
      problems.push(`${where}: no PodDisruptionBudget selects its pods`);
    if (!policies.some((np) => matches(at(np, 'spec', 'podSelector'), pod.labels)))
      problems.push(`${where}: no NetworkPolicy selects its pods`);
    for (const container of containersOf(pod.spec)) {
      const name = `${where} container ${String(container['name'])}`;
      problems.push(...containerProblems(name, container, podSecurity, pod.longRunning, context));
    }
  }
  for (const np of policies) problems.push(...egressProblems(np));
  return problems;
}

function containerProblems(
  name: string,
  container: Record<string, unknown>,
  podSecurity: Record<string, unknown>,
  longRunning: boolean,
  context: PolicyContext,
): string[] {
  const problems: string[] = [];
  const security = asRecord(container['securityContext']);
  const setting = (key: string) => security[key] ?? podSecurity[key];
  if (
    at(container, 'resources', 'requests', 'cpu') === undefined ||
    at(container, 'resources', 'requests', 'memory') === undefined
  )
    problems.push(`${name}: resources.requests.cpu and .memory must be set`);
  if (at(container, 'resources', 'limits', 'memory') === undefined)
    problems.push(`${name}: resources.limits.memory must be set`);
  if (longRunning && (container['livenessProbe'] === undefined || container['readinessProbe'] === undefined))
    problems.push(`${name}: livenessProbe and readinessProbe must be set`);
  const uid = setting('runAsUser');
  if (setting('runAsNonRoot') !== true || uid === 0 || uid === undefined)
    problems.push(`${name}: must run as non-root (runAsNonRoot: true and a non-zero runAsUser)`);
  if (security['readOnlyRootFilesystem'] !== true)
    problems.push(`${name}: readOnlyRootFilesystem must be true`);
  if (security['allowPrivilegeEscalation'] !== false)
    problems.push(`${name}: allowPrivilegeEscalation must be false`);
  const dropped = at(security, 'capabilities', 'drop');
  if (!Array.isArray(dropped) || !dropped.includes('ALL'))
    problems.push(`${name}: capabilities.drop must include ALL`);
  problems.push(...imageProblems(name, container['image'], context));
  return problems;
}

export function imageProblems(name: string, image: unknown, context: PolicyContext): string[] {
  if (typeof image !== 'string' || image.length === 0) return [`${name}: no image`];
  const problems: string[] = [];
  const lastSegment = image.slice(image.lastIndexOf('/') + 1);
  const tag = image.includes('@')
    ? undefined
    : lastSegment.includes(':')
      ? lastSegment.split(':')[1]
      : undefined;
  if (!image.includes('@') && tag === undefined)
    problems.push(`${name}: image ${image} has no tag (it means :latest)`);
  if (tag === 'latest') problems.push(`${name}: image ${image} uses :latest`);
  if (!context.expectedImages.has(image))
    problems.push(
      `${name}: image ${image} is not the one its values name (${[...context.expectedImages].join(', ')})`,
    );
  return problems;
}

/** An egress rule without `to` allows every address: the flows must name their destinations. */
function egressProblems(np: K8sObject): string[] {
  const egress = at(np, 'spec', 'egress');
  if (!Array.isArray(egress)) return [];
  return egress.flatMap((rule, index) => {
    const to = at(rule, 'to');
    return Array.isArray(to) && to.length > 0
      ? []
      : [`${objectName(np)}: egress rule ${index} has no destination (it would allow every address)`];
  });
}
