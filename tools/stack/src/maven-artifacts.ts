import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { StackError } from './errors';
import { runCommand } from './processes';
import { requireMaven } from './toolchain';

/** Pinned versions live in these poms (one place to bump); a changed pom invalidates the cached download. */
const MAVEN_DIR = path.resolve(__dirname, '..', 'maven');
const KAFKA_POM = path.join(MAVEN_DIR, 'kafka', 'pom.xml');
const APICURIO_POM = path.join(MAVEN_DIR, 'apicurio', 'pom.xml');
const ZIPKIN_POM = path.join(MAVEN_DIR, 'zipkin', 'pom.xml');
const KEYCLOAK_POM = path.join(MAVEN_DIR, 'keycloak', 'pom.xml');
const STAMP = '.pom-sha256';

// Maven runs strictly one at a time: concurrent runs against one ~/.m2 can corrupt half-downloaded artifacts.
let mavenQueue: Promise<unknown> = Promise.resolve();

function serialized<T>(task: () => Promise<T>): Promise<T> {
  const run = mavenQueue.then(task, task);
  mavenQueue = run.catch(() => undefined);
  return run;
}

function pomHash(pom: string): string {
  return createHash('sha256').update(fs.readFileSync(pom)).digest('hex');
}

function isCached(dir: string, pom: string): boolean {
  try {
    return fs.readFileSync(path.join(dir, STAMP), 'utf8').trim() === pomHash(pom);
  } catch {
    return false;
  }
}

/**
 * Fills `target` through a sibling `.partial` directory renamed at the end, so an interrupted download never
 * looks complete on the next run.
 */
async function fillOnce(
  target: string,
  pom: string,
  fill: (partial: string) => Promise<void>,
): Promise<void> {
  if (isCached(target, pom)) return;
  const partial = `${target}.partial`;
  fs.rmSync(partial, { recursive: true, force: true });
  fs.mkdirSync(partial, { recursive: true });
  await fill(partial);
  fs.writeFileSync(path.join(partial, STAMP), `${pomHash(pom)}\n`);
  fs.rmSync(target, { recursive: true, force: true });
  fs.renameSync(partial, target);
}

async function mvn(args: readonly string[], logFile: string, what: string): Promise<void> {
  const command = await requireMaven();
  const result = await runCommand(command, ['-B', '-q', '-Dstyle.color=never', ...args], { logFile });
  if (result.code !== 0) {
    throw new StackError(
      `Maven could not fetch ${what} from Maven Central (exit ${result.code}); see ${logFile}`,
    );
  }
}

/** Kafka's runtime classpath (broker, controller, tools) in `<stackDir>/kafka/libs`. */
export function ensureKafkaLibs(stackDir: string, log: (line: string) => void): Promise<string> {
  const libs = path.join(stackDir, 'kafka', 'libs');
  if (isCached(libs, KAFKA_POM)) return Promise.resolve(libs);
  return serialized(async () => {
    await requireMaven();
    log('kafka: fetching pinned jars with Maven (first run only)');
    const logFile = path.join(stackDir, 'maven.log');
    await fillOnce(libs, KAFKA_POM, (partial) =>
      mvn(
        [
          '-f',
          KAFKA_POM,
          'dependency:copy-dependencies',
          `-DoutputDirectory=${partial}`,
          '-DincludeScope=runtime',
        ],
        logFile,
        'the Kafka jars',
      ),
    );
    return libs;
  });
}

/** The unpacked Apicurio Registry distribution; returns the path of its Quarkus runner jar. */
export function ensureApicurioApp(stackDir: string, log: (line: string) => void): Promise<string> {
  const app = path.join(stackDir, 'apicurio', 'app');
  if (isCached(app, APICURIO_POM)) return Promise.resolve(runnerJar(app));
  return serialized(async () => {
    await requireMaven();
    log('schema-registry: fetching the pinned Apicurio Registry distribution with Maven (first run only)');
    const logFile = path.join(stackDir, 'maven.log');
    await fillOnce(app, APICURIO_POM, async (partial) => {
      const download = path.join(partial, '.download');
      await mvn(
        ['-f', APICURIO_POM, 'dependency:copy', `-Dstack.outputDirectory=${download}`],
        logFile,
        'Apicurio',
      );
      const archive = fs.readdirSync(download).find((name) => name.endsWith('.tar.gz'));
      if (archive === undefined) throw new StackError(`Maven produced no Apicurio archive in ${download}`);
      const untar = await runCommand('tar', ['-xzf', path.join(download, archive), '-C', partial], {
        logFile,
      });
      if (untar.code !== 0) throw new StackError(`could not unpack ${archive}; see ${logFile}`);
      fs.rmSync(download, { recursive: true, force: true });
    });
    return runnerJar(app);
  });
}

function runnerJar(app: string): string {
  const jar = fs.readdirSync(app).find((name) => name.endsWith('-runner.jar'));
  if (jar === undefined)
    throw new StackError(`no *-runner.jar in ${app}; delete that folder and run stack:up again`);
  return path.join(app, jar);
}

/** Zipkin's self-contained exec jar in `<stackDir>/zipkin/app`; returns its path. */
export function ensureZipkinJar(stackDir: string, log: (line: string) => void): Promise<string> {
  const app = path.join(stackDir, 'zipkin', 'app');
  if (isCached(app, ZIPKIN_POM)) return Promise.resolve(zipkinJar(app));
  return serialized(async () => {
    await requireMaven();
    log('zipkin: fetching the pinned Zipkin server jar with Maven (first run only)');
    const logFile = path.join(stackDir, 'maven.log');
    await fillOnce(app, ZIPKIN_POM, (partial) =>
      mvn(['-f', ZIPKIN_POM, 'dependency:copy', `-Dstack.outputDirectory=${partial}`], logFile, 'Zipkin'),
    );
    return zipkinJar(app);
  });
}

function zipkinJar(app: string): string {
  const jar = fs
    .readdirSync(app)
    .find((name) => name.startsWith('zipkin-server-') && name.endsWith('-exec.jar'));
  if (jar === undefined)
    throw new StackError(`no zipkin-server-*-exec.jar in ${app}; delete that folder and run stack:up again`);
  return path.join(app, jar);
}

/** The unpacked Keycloak distribution (`keycloak-quarkus-dist` zip) in `<stackDir>/keycloak/app`; returns its home. */
export function ensureKeycloakDist(stackDir: string, log: (line: string) => void): Promise<string> {
  const app = path.join(stackDir, 'keycloak', 'app');
  if (isCached(app, KEYCLOAK_POM)) return Promise.resolve(keycloakHome(app));
  return serialized(async () => {
    await requireMaven();
    log('keycloak: fetching the pinned Keycloak distribution with Maven (first run only)');
    const logFile = path.join(stackDir, 'maven.log');
    await fillOnce(app, KEYCLOAK_POM, async (partial) => {
      const download = path.join(partial, '.download');
      await mvn(
        ['-f', KEYCLOAK_POM, 'dependency:copy', `-Dstack.outputDirectory=${download}`],
        logFile,
        'Keycloak',
      );
      const archive = fs.readdirSync(download).find((name) => name.endsWith('.zip'));
      if (archive === undefined) throw new StackError(`Maven produced no Keycloak zip in ${download}`);
      // `jar` ships with the JDK the stack already needs; unzip may not be installed.
      const unpack = await runCommand('jar', ['-xf', path.join(download, archive)], {
        logFile,
        cwd: partial,
      });
      if (unpack.code !== 0) throw new StackError(`could not unpack ${archive}; see ${logFile}`);
      fs.rmSync(download, { recursive: true, force: true });
    });
    return keycloakHome(app);
  });
}

function keycloakHome(app: string): string {
  const home = fs.readdirSync(app).find((name) => name.startsWith('keycloak-'));
  if (home === undefined)
    throw new StackError(`no keycloak-* folder in ${app}; delete that folder and run stack:up again`);
  return path.join(app, home);
}

/**
 * The runtime jars of a pinned pom (any tool's, e.g. tools/deploy's helm-java), copied by Maven into `dir` once per
 * pom version, with the same serialised, interrupt-safe download as the stack's own artifacts; returns their paths.
 */
export function ensureMavenClasspath(
  dir: string,
  pom: string,
  what: string,
  log: (line: string) => void,
): Promise<string[]> {
  const jars = () =>
    fs
      .readdirSync(dir)
      .filter((name) => name.endsWith('.jar'))
      .map((name) => path.join(dir, name));
  if (isCached(dir, pom)) return Promise.resolve(jars());
  return serialized(async () => {
    await requireMaven();
    log(`${what}: fetching the pinned jars with Maven (first run only)`);
    const logFile = path.join(path.dirname(dir), 'maven.log');
    fs.mkdirSync(path.dirname(dir), { recursive: true });
    await fillOnce(dir, pom, (partial) =>
      mvn(
        ['-f', pom, 'dependency:copy-dependencies', `-DoutputDirectory=${partial}`, '-DincludeScope=runtime'],
        logFile,
        what,
      ),
    );
    return jars();
  });
}
