import { modelModule } from './kinds';
import { type K8sObject, objectName } from './manifests';

interface ModelClass {
  new (data: unknown): { validate(): void };
}

/**
 * Each object against its kind's schema in kubernetes-models / @kubernetes-models/* (required fields, types,
 * enums, formats). Those schemas accept unknown fields; unknown-fields.ts checks those. Returns the problems.
 */
export async function validateWithModels(objects: readonly K8sObject[], source: string): Promise<string[]> {
  const problems: string[] = [];
  for (const object of objects) {
    const module = modelModule(object.apiVersion, object.kind);
    const where = `${source}: ${objectName(object)}`;
    if (module === undefined) {
      problems.push(`${where}: no installed model for ${object.apiVersion} ${object.kind}`);
      continue;
    }
    const Model = (await loadModule(module))?.[object.kind];
    if (Model === undefined) {
      problems.push(`${where}: ${module} does not export ${object.kind}`);
      continue;
    }
    try {
      new Model(object).validate();
    } catch (error) {
      problems.push(`${where}: ${(error as Error).message.replace(/\s+/g, ' ')}`);
    }
  }
  return problems;
}

const loaded = new Map<string, Promise<Record<string, ModelClass> | undefined>>();

/** Some model packages are ES modules: an import() loads either kind. */
function loadModule(module: string): Promise<Record<string, ModelClass> | undefined> {
  let pending = loaded.get(module);
  if (pending === undefined) {
    pending = import(module).then(
      (exports: Record<string, ModelClass>) => exports,
      () => undefined,
    );
    loaded.set(module, pending);
  }
  return pending;
}
