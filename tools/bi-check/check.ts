import { spawn } from 'node:child_process';
import path from 'node:path';

import { infrastructureConfig } from '@pitboss/platform-config';

import { ensureMavenClasspath } from '../stack/src/maven-artifacts';
import { requireJava } from '../stack/src/toolchain';
import { TOPICS } from '../asyncapi/contract-modules';

/**
 * `npm run bi:check [topic] [records]`: reads a topic of the running stack with the Java consumer of
 * docs/bi-guide.md (Apicurio's Avro serde from Maven Central, classpath cached in .stack/bi-check) and prints
 * its records. Fails when it reads none, a value does not decode into the topic's record, or its payload is not
 * the branch of its event_type.
 * BI_CHECK_REGISTRY_URL overrides the registry's native API URL (default: SCHEMA_REGISTRY_URL's host, /apis/registry/v3).
 */
const POM = path.resolve(__dirname, 'pom.xml');
const PROGRAM = path.resolve(__dirname, 'BiCheck.java');
const CACHE = path.resolve(__dirname, '..', '..', '.stack', 'bi-check', 'jars');

async function main(): Promise<void> {
  const topicName = process.argv[2] ?? TOPICS.rounds.name;
  const records = process.argv[3] ?? '5';
  const topic = Object.values(TOPICS).find((candidate) => candidate.name === topicName);
  if (!topic)
    throw new Error(
      `unknown topic ${topicName}: one of ${Object.values(TOPICS)
        .map((t) => t.name)
        .join(', ')}`,
    );
  const config = infrastructureConfig();
  const registry =
    process.env['BI_CHECK_REGISTRY_URL'] || new URL('/apis/registry/v3', config.schemaRegistryUrl).href;
  const java = await requireJava();
  const jars = await ensureMavenClasspath(CACHE, POM, 'bi-check', (line) => console.log(line));
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(
      java,
      [
        '-cp',
        jars.join(path.delimiter),
        PROGRAM,
        config.kafkaBrokers.join(','),
        registry,
        `${config.topicPrefix}${topic.name}`,
        records,
        `${topic.namespace}.Event`,
      ],
      { stdio: 'inherit' },
    );
    child.on('error', reject);
    child.on('exit', resolve);
  });
  process.exit(code ?? 1);
}

main().catch((error: unknown) => {
  console.error(`bi-check: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
