import path from 'node:path';
import { StackError } from './errors';
import { runCommand } from './processes';

const MIN_JAVA = 17; // Apicurio Registry 3 is built for Java 17; Kafka 3.9 would accept 11.

/** The java executable: $JAVA_HOME/bin/java when JAVA_HOME is set, else `java` from PATH. */
export function javaCommand(): string {
  const home = process.env['JAVA_HOME'];
  return home ? path.join(home, 'bin', 'java') : 'java';
}

let javaChecked = false;

/** Fails with an actionable one-liner before we try to start a JVM that cannot run. */
export async function requireJava(): Promise<string> {
  const java = javaCommand();
  if (javaChecked) return java;
  let output: string;
  try {
    output = (await runCommand(java, ['-version'])).output;
  } catch {
    throw new StackError(
      `Java is missing (${java} not found); Kafka and Apicurio need Java ${MIN_JAVA}+ (Debian: apt-get install openjdk-17-jre-headless, or set JAVA_HOME)`,
    );
  }
  // `openjdk version "17.0.15"` or the legacy `"1.8.0_392"` form.
  // eslint-disable-next-line security/detect-unsafe-regex -- linear: one optional group, matched against java -version's output
  const match = /version "(\d+)(?:\.(\d+))?/.exec(output);
  const major = match?.[1] === '1' ? Number(match[2]) : Number(match?.[1]);
  if (!Number.isFinite(major) || major < MIN_JAVA) {
    throw new StackError(
      `Java ${MIN_JAVA}+ is required, found: ${output.split('\n')[0] ?? 'unknown'} (set JAVA_HOME)`,
    );
  }
  javaChecked = true;
  return java;
}

/** Maven is needed only on a cold cache, so this is checked just before a download, not on every `up`. */
export async function requireMaven(): Promise<string> {
  try {
    await runCommand('mvn', ['-v']);
  } catch {
    throw new StackError(
      'Maven is missing (mvn not found); it fetches the pinned Kafka and Apicurio artifacts from Maven Central (Debian: apt-get install maven)',
    );
  }
  return 'mvn';
}
