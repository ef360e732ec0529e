import path from 'node:path';

import ts from 'typescript';

import { modelModule } from './kinds';
import { type K8sObject, objectName } from './manifests';

const WORKSPACE = path.resolve(__dirname, '..', '..', '..');

/**
 * Fields the kind does not have, at any depth. The models' JSON schemas accept any field (Kubernetes' OpenAPI
 * has no additionalProperties: false), but their TypeScript declarations list every field, so each object is
 * type-checked as an object literal of its `I<Kind>` type: TypeScript's excess-property check then names every
 * unknown field (and wrong types too). One program for all objects keeps it to a single compiler pass.
 */
export function findUnknownFields(objects: readonly { source: string; object: K8sObject }[]): string[] {
  const fileName = path.join(WORKSPACE, 'tools', 'deploy', '.rendered-objects.ts');
  const imports = new Map<string, string>();
  const lines: string[] = [];
  const owners: string[] = [];
  for (const { source, object } of objects) {
    const module = modelModule(object.apiVersion, object.kind);
    if (module === undefined) continue;
    const key = `${module}\t${object.kind}`;
    let alias = imports.get(key);
    if (alias === undefined) {
      alias = `T${imports.size}`;
      imports.set(key, alias);
    }
    owners.push(`${source}: ${objectName(object)}`);
    lines.push(`export const o${owners.length - 1}: ${alias} = ${JSON.stringify(object)};`);
  }
  const header = [...imports].map(([key, alias]) => {
    const [module, kind] = key.split('\t');
    return `import type { I${kind} as ${alias} } from '${module}';`;
  });
  const text = [...header, ...lines].join('\n');
  const firstObjectLine = header.length;
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  host.readFile = (name) => (name === fileName ? text : readFile(name));
  host.fileExists = (name) => name === fileName || fileExists(name);
  host.getSourceFile = (name, version, onError) =>
    name === fileName ? ts.createSourceFile(name, text, version) : getSourceFile(name, version, onError);
  const program = ts.createProgram([fileName], options, host);
  return ts.getPreEmitDiagnostics(program).map((diagnostic) => {
    // The type TypeScript prints after the field's name can run to pages; the field's name is what matters.
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ').slice(0, 240);
    if (diagnostic.file?.fileName !== fileName || diagnostic.start === undefined) return message;
    const { line } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
    const owner = owners[line - firstObjectLine] ?? 'imports';
    return `${owner}: ${message}`;
  });
}
