import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { type Schema } from 'avsc';

import { type ContractSources, type TopicDefinition } from './contracts-source-modules';

/** Where the `.avsc` sources live, relative to the repository root. */
export const AVRO_DIR = 'libs/contracts/src/avro';

/** Reads contract files by path relative to AVRO_DIR; `undefined` when the file does not exist. */
export type ContractFileReader = (relativePath: string) => string | undefined;

export function workingTreeReader(repoRoot: string): ContractFileReader {
  return (relativePath) => {
    try {
      return readFileSync(join(repoRoot, AVRO_DIR, relativePath), 'utf8');
    } catch {
      return undefined;
    }
  };
}

export function gitRevisionReader(repoRoot: string, revision: string): ContractFileReader {
  return (relativePath) => {
    try {
      return execFileSync('git', ['show', `${revision}:${AVRO_DIR}/${relativePath}`], {
        cwd: repoRoot,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      });
    } catch {
      return undefined;
    }
  };
}

/** The sources of one topic, or undefined when the topic's folder does not exist in that version. */
export function readTopicSources(
  read: ContractFileReader,
  topic: TopicDefinition,
  payloadFiles: readonly string[],
): ContractSources | undefined {
  const parse = (path: string): Schema | undefined => {
    const text = read(path);
    return text === undefined ? undefined : (JSON.parse(text) as Schema);
  };
  const envelope = parse('common/envelope.avsc');
  const money = parse('common/money.avsc');
  if (!envelope || !money) return undefined;
  const payloads: Record<string, Schema> = {};
  for (const file of payloadFiles) {
    const schema = parse(`${topic.name}/${file}`);
    if (schema) payloads[file] = schema;
  }
  return Object.keys(payloads).length === 0 ? undefined : { envelope, sharedTypes: [money], payloads };
}

export function payloadFilesInWorkingTree(repoRoot: string, topic: TopicDefinition): string[] {
  return readdirSync(join(repoRoot, AVRO_DIR, topic.name)).filter((file) => file.endsWith('.avsc'));
}
