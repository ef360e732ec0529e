import { ALL_TOPICS } from './contracts-source-modules';

import { payloadFilesInWorkingTree, readTopicSources, workingTreeReader } from './contract-sources';
import { renderCommonModule, renderGeneratedIndex, renderTopicModule } from './typescript-codegen';

/** File name → content of everything under libs/contracts/src/generated, rendered from the working tree. */
export function generatedContractFiles(repoRoot: string): Record<string, string> {
  const read = workingTreeReader(repoRoot);
  const files: Record<string, string> = { 'index.ts': renderGeneratedIndex(ALL_TOPICS) };
  for (const topic of ALL_TOPICS) {
    const sources = readTopicSources(read, topic, payloadFilesInWorkingTree(repoRoot, topic));
    if (!sources) throw new Error(`contracts: no sources for ${topic.name}`);
    files[`${topic.name}.ts`] = renderTopicModule(topic, sources);
    files['common.ts'] = renderCommonModule(sources);
  }
  return files;
}
