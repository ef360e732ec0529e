import { execFileSync } from 'node:child_process';

import { type Schema } from 'avsc';

import {
  AVRO_DIR,
  gitRevisionReader,
  payloadFilesInWorkingTree,
  readTopicSources,
  workingTreeReader,
  type ContractFileReader,
} from './contract-sources';
import {
  ALL_TOPICS,
  backwardIncompatibility,
  composeTopicSchema,
  payloadFileName,
  type TopicDefinition,
} from './contracts-source-modules';

export interface SchemaProblem {
  readonly topic: string;
  /** Which two versions were compared, e.g. `main → working tree`. */
  readonly between: string;
  readonly reason: string;
}

interface SchemaVersion {
  readonly label: string;
  readonly read: ContractFileReader;
  /** Payload files present in this version, per topic (to notice removed event types). */
  readonly payloadFiles: (topic: TopicDefinition) => string[];
}

/**
 * Checks that every topic's value schema stays BACKWARD compatible along the branch: on a feature branch the
 * working tree against `baseRevision` (main); on main itself, each committed version against the one before it
 * and the working tree against HEAD, so a breaking change cannot hide in the history of a multi-commit push, and
 * the working tree against every committed version (BACKWARD_TRANSITIVE, the registry's level).
 */
export function findBreakingSchemaChanges(repoRoot: string, baseRevision: string): SchemaProblem[] {
  const versions = [...committedVersions(repoRoot, baseRevision), workingTree(repoRoot)];
  const problems: SchemaProblem[] = [];
  const latest = versions[versions.length - 1] as SchemaVersion;
  for (let index = 1; index < versions.length; index++) {
    const previous = versions[index - 1] as SchemaVersion;
    const next = versions[index] as SchemaVersion;
    for (const topic of ALL_TOPICS) problems.push(...compareTopic(topic, previous, next));
  }
  // BACKWARD_TRANSITIVE, as the registry applies it: the latest version also reads every older one, so a
  // warehouse that re-reads a topic from its first message can do it with today's schema.
  for (const older of versions.slice(0, -2)) {
    for (const topic of ALL_TOPICS) problems.push(...compareTopic(topic, older, latest));
  }
  return problems;
}

function compareTopic(topic: TopicDefinition, previous: SchemaVersion, next: SchemaVersion): SchemaProblem[] {
  const between = `${previous.label} → ${next.label}`;
  const previousFiles = previous.payloadFiles(topic);
  if (previousFiles.length === 0) return []; // a new topic has nothing to stay compatible with
  const nextFiles = new Set(next.payloadFiles(topic));
  const removed = previousFiles.filter((file) => !nextFiles.has(file));
  if (removed.length > 0)
    return [{ topic: topic.name, between, reason: `event schemas removed: ${removed.join(', ')}` }];
  try {
    const older = composeVersion(topic, previous, previousFiles);
    const newer = composeVersion(topic, next, [...nextFiles]);
    const reason = backwardIncompatibility(older, newer);
    return reason ? [{ topic: topic.name, between, reason }] : [];
  } catch (error) {
    return [{ topic: topic.name, between, reason: error instanceof Error ? error.message : String(error) }];
  }
}

/** Composes a version with the current catalogue, restricted to the event types that version has files for. */
function composeVersion(topic: TopicDefinition, version: SchemaVersion, files: readonly string[]): Schema {
  const present = new Set(files);
  const eventTypes = topic.eventTypes.filter((eventType) => present.has(payloadFileName(eventType)));
  const sources = readTopicSources(version.read, topic, files);
  if (!sources) throw new Error(`${version.label}: cannot read the sources of ${topic.name}`);
  return composeTopicSchema({ ...topic, eventTypes }, sources);
}

function workingTree(repoRoot: string): SchemaVersion {
  return {
    label: 'working tree',
    read: workingTreeReader(repoRoot),
    payloadFiles: (topic) => {
      try {
        return payloadFilesInWorkingTree(repoRoot, topic);
      } catch {
        return [];
      }
    },
  };
}

function committedVersions(repoRoot: string, baseRevision: string): SchemaVersion[] {
  const head = git(repoRoot, ['rev-parse', 'HEAD']);
  const base = git(repoRoot, ['rev-parse', '--verify', '--quiet', `${baseRevision}^{commit}`]);
  if (!head) return [];
  if (base && base !== head) return [committedVersion(repoRoot, base, baseRevision)];
  const history = (
    git(repoRoot, ['log', '--first-parent', '--reverse', '--format=%H', 'HEAD', '--', AVRO_DIR]) ?? ''
  )
    .split('\n')
    .filter(Boolean);
  return history.map((commit) => committedVersion(repoRoot, commit, commit.slice(0, 10)));
}

function committedVersion(repoRoot: string, commit: string, label: string): SchemaVersion {
  return {
    label,
    read: gitRevisionReader(repoRoot, commit),
    payloadFiles: (topic) =>
      (git(repoRoot, ['ls-tree', '--name-only', `${commit}:${AVRO_DIR}/${topic.name}`]) ?? '')
        .split('\n')
        .filter((file) => file.endsWith('.avsc')),
  };
}

function git(cwd: string, args: string[]): string | undefined {
  try {
    return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}
