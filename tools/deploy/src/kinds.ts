/**
 * Where each kind the charts and argocd/ render is modelled: the npm package whose `<apiVersion>/<Kind>` module
 * exports the model class (validation) and its `I<Kind>` type (the unknown-field check).
 */
const PACKAGE_OF_GROUP: Record<string, string> = {
  '': 'kubernetes-models',
  apps: 'kubernetes-models',
  batch: 'kubernetes-models',
  policy: 'kubernetes-models',
  autoscaling: 'kubernetes-models',
  'networking.k8s.io': 'kubernetes-models',
  'keda.sh': '@kubernetes-models/keda',
  'monitoring.coreos.com': '@kubernetes-models/prometheus-operator',
  'external-secrets.io': '@kubernetes-models/external-secrets',
  'security.istio.io': '@kubernetes-models/istio',
  'networking.istio.io': '@kubernetes-models/istio',
};
const ARGO_CD_KINDS = new Set(['Application', 'ApplicationSet', 'AppProject']);

/**
 * The module of a kind's API version (`<package>/<apiVersion>`, which exports the model class `<Kind>` and its
 * type `I<Kind>`; some packages are ES modules that export only these index paths), or undefined when no
 * installed package models the kind.
 */
export function modelModule(apiVersion: string, kind: string): string | undefined {
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  const pkg =
    group === 'argoproj.io'
      ? ARGO_CD_KINDS.has(kind)
        ? '@kubernetes-models/argo-cd'
        : '@kubernetes-models/argo-rollouts'
      : PACKAGE_OF_GROUP[group];
  return pkg === undefined ? undefined : `${pkg}/${apiVersion}`;
}
