import { parseAllDocuments } from 'yaml';

/** A rendered Kubernetes object, as parsed from Helm's output. */
export interface K8sObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly labels?: Record<string, string> };
  readonly [field: string]: unknown;
}

/** Every non-empty document of a multi-document YAML stream; a malformed one is an error naming its position. */
export function parseManifests(yamlText: string, source: string): K8sObject[] {
  const objects: K8sObject[] = [];
  for (const document of parseAllDocuments(yamlText)) {
    if (document.errors.length > 0) throw new Error(`${source}: ${document.errors[0]?.message}`);
    const value: unknown = document.toJS();
    if (value === null || value === undefined) continue;
    if (!isObject(value) || typeof value['apiVersion'] !== 'string' || typeof value['kind'] !== 'string')
      throw new Error(`${source}: a document without apiVersion and kind`);
    objects.push(value as unknown as K8sObject);
  }
  return objects;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function objectName(object: K8sObject): string {
  return `${object.kind}/${object.metadata?.name ?? '?'}`;
}
