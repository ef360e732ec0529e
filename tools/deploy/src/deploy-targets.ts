import path from 'node:path';

export const WORKSPACE = path.resolve(__dirname, '..', '..', '..');
export const CHARTS_DIR = path.join(WORKSPACE, 'charts');
/** Git-ignored, like the stack's downloads. */
export const DEPLOY_CACHE = path.join(WORKSPACE, '.stack', 'deploy');

export const SERVICES = [
  'bet-gateway',
  'settle-worker',
  'outbox-relay',
  'bonus-grant',
  'wagering-progress',
  'reconciliation',
  'noc',
] as const;
export const ENVIRONMENTS = ['staging', 'production'] as const;
export const REGIONS = ['eu', 'uk', 'br'] as const;
/** The Kubernetes version the charts are rendered for (EKS in terraform/modules/eks). */
export const KUBE_VERSION = '1.30.0';
export const NAMESPACE = 'pitboss';

export type Service = (typeof SERVICES)[number];
export type Environment = (typeof ENVIRONMENTS)[number];
export type Region = (typeof REGIONS)[number];

export interface RenderTarget {
  readonly service: Service;
  readonly environment: Environment;
  readonly region: Region;
  /** In the order Argo CD's ApplicationSet passes them (after the chart's own values.yaml). */
  readonly valuesFiles: readonly string[];
}

export function chartDir(service: Service): string {
  return path.join(CHARTS_DIR, service);
}

export function environmentValues(environment: Environment, region: Region): string[] {
  const dir = path.join(CHARTS_DIR, 'environments', environment);
  return [path.join(dir, 'common.yaml'), path.join(dir, `${region}.yaml`)];
}

export function renderTargets(filter: { environment?: Environment; region?: Region } = {}): RenderTarget[] {
  return SERVICES.flatMap((service) =>
    ENVIRONMENTS.filter((e) => filter.environment === undefined || e === filter.environment).flatMap(
      (environment) =>
        REGIONS.filter((r) => filter.region === undefined || r === filter.region).map((region) => ({
          service,
          environment,
          region,
          valuesFiles: environmentValues(environment, region),
        })),
    ),
  );
}

export function targetName(target: RenderTarget): string {
  return `${target.service}/${target.environment}-${target.region}`;
}
