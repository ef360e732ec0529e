import fs from 'node:fs';
import path from 'node:path';

import { WORKSPACE } from './deploy-targets';
import { type K8sObject, parseManifests } from './manifests';

const ARGOCD_DIR = path.join(WORKSPACE, 'argocd');

/** Every object of argocd/ (AppProjects, ApplicationSets), for the same validation as the rendered charts. */
export function argocdManifests(): { source: string; object: K8sObject }[] {
  const files = fs
    .readdirSync(ARGOCD_DIR, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.yaml'))
    .sort();
  return files.flatMap((file) => {
    const source = `argocd/${file}`;
    return parseManifests(fs.readFileSync(path.join(ARGOCD_DIR, file), 'utf8'), source).map((object) => ({
      source,
      object,
    }));
  });
}
