import fs from 'node:fs';
import path from 'node:path';
import { envInt, envString } from '@pitboss/platform-config';
import { StackError } from './errors';
import { ensureKeycloakDist } from './maven-artifacts';
import type { StackConfig, StartedBy } from './stack-config';
import { isPortOpen, seconds, waitUntil } from './ports';
import { runningPid, spawnDetached, stopProcess } from './processes';
import { recordStart, startDetail } from './start-record';
import { requireJava } from './toolchain';

/** Substring of Keycloak's command line (its start script and its JVM's `-Dkc.home.dir`); identifies our process. */
const HOME_MARKER = '/keycloak/app/keycloak-';

/** The committed realm, imported at every start (start-dev keeps no state we want: the realm file is the truth). */
const REALM_FILE = path.resolve(__dirname, '..', 'keycloak', 'pitboss-realm.json');
export const KEYCLOAK_REALM = 'pitboss';

// A bounded heap instead of Keycloak's 70 % of RAM, C1 only (its script already picks G1): the machine is shared by the whole
// stack (measured 105 s to ready and ~390–430 MB RSS with these on 2 busy cores; see docs/security.md).
const JVM_HEAP = '-Xms64m -Xmx384m -XX:TieredStopAtLevel=1';
// Keycloak imports and boots a Quarkus app: slower than the other JVMs, so it gets more than STACK_START_TIMEOUT_S.
const MIN_START_TIMEOUT_MS = 240_000;

type Env = Readonly<Record<string, string | undefined>>;

/** Keycloak's HTTP port: `KEYCLOAK_PORT`, default 8180 (the default `AUTH_ISSUER_URL` of libs/auth). */
export function keycloakPort(env: Env = process.env): number {
  return envInt('KEYCLOAK_PORT', 8180, env);
}

/** The local master realm's bootstrap admin (for tests that rotate keys); local only, like the realm's secrets. */
export function keycloakAdmin(env: Env = process.env): { username: string; password: string } {
  return {
    username: envString('KEYCLOAK_ADMIN_USER', 'admin', env),
    password: envString('KEYCLOAK_ADMIN_PASSWORD', 'local-dev-only-admin', env),
  };
}

export function keycloakIssuer(env: Env = process.env): string {
  return `http://127.0.0.1:${keycloakPort(env)}/realms/${KEYCLOAK_REALM}`;
}

function keycloakDir(config: StackConfig): string {
  return path.join(config.stackDir, 'keycloak');
}

function pidFile(config: StackConfig): string {
  return path.join(keycloakDir(config), 'keycloak.pid');
}

function startFile(config: StackConfig): string {
  return path.join(keycloakDir(config), 'started.json');
}

/** Ready means the realm was imported: its OpenID discovery document answers with our issuer. */
export async function keycloakAnswers(): Promise<boolean> {
  try {
    const response = await fetch(`${keycloakIssuer()}/.well-known/openid-configuration`, {
      signal: AbortSignal.timeout(3000),
    });
    if (response.status !== 200) {
      await response.arrayBuffer();
      return false;
    }
    const body = (await response.json()) as { issuer?: unknown };
    return body.issuer === keycloakIssuer();
  } catch {
    return false;
  }
}

function ourPid(config: StackConfig): number | undefined {
  return runningPid(pidFile(config), HOME_MARKER);
}

export function keycloakStartedBy(config: StackConfig): StartedBy {
  return ourPid(config) === undefined ? 'machine' : 'project';
}

/** "started in 74.9s, RSS 470 MB" for the Keycloak the project started; undefined for anyone else's. */
export function keycloakDetail(config: StackConfig): string | undefined {
  const pid = ourPid(config);
  if (pid === undefined) return undefined;
  return startDetail(startFile(config), pid);
}

/** Uses a Keycloak already serving the realm on the port, else fetches and starts the pinned one (start-dev). */
export async function ensureKeycloak(config: StackConfig, log: (line: string) => void): Promise<void> {
  const port = keycloakPort();
  const dir = keycloakDir(config);
  const logFile = path.join(dir, 'logs', 'keycloak.log');
  let pid = ourPid(config);
  if (pid === undefined) {
    if (await isPortOpen(port)) {
      if (!(await keycloakAnswers()))
        throw new StackError(
          `port ${port} is taken by a process that does not serve the realm "${KEYCLOAK_REALM}"; set KEYCLOAK_PORT`,
        );
      return log(
        `keycloak: using the Keycloak already serving ${keycloakIssuer()} (not started by the project)`,
      );
    }
    const java = await requireJava();
    const home = await ensureKeycloakDist(config.stackDir, log);
    const importDir = path.join(home, 'data', 'import');
    fs.mkdirSync(importDir, { recursive: true });
    fs.copyFileSync(REALM_FILE, path.join(importDir, 'pitboss-realm.json'));
    fs.mkdirSync(path.dirname(logFile), { recursive: true });
    const admin = keycloakAdmin();
    pid = spawnDetached({
      command: 'bash',
      args: [
        path.join(home, 'bin', 'kc.sh'),
        'start-dev',
        `--http-port=${port}`,
        '--http-host=127.0.0.1',
        `--hostname=http://127.0.0.1:${port}`,
        '--cache=local',
        '--import-realm',
      ],
      cwd: dir,
      logFile,
      pidFile: pidFile(config),
      env: {
        JAVA: java,
        JAVA_OPTS_KC_HEAP: JVM_HEAP,
        KC_BOOTSTRAP_ADMIN_USERNAME: admin.username,
        KC_BOOTSTRAP_ADMIN_PASSWORD: admin.password,
      },
    });
    log(`keycloak: started (pid ${pid}), waiting for the realm on port ${port} (about a minute)`);
  }
  if (await keycloakAnswers())
    return log(`keycloak: up on ${keycloakIssuer()} (pid ${pid}, started by the project)`);
  const running = pid;
  const timeoutMs = Math.max(config.startTimeoutMs, MIN_START_TIMEOUT_MS);
  const took = await waitUntil({
    what: 'keycloak',
    timeoutMs,
    log,
    probe: keycloakAnswers,
    failed: () =>
      ourPid(config) === undefined ? `keycloak exited while starting; see ${logFile}` : undefined,
    timeoutMessage: `keycloak (pid ${running}) did not serve the realm within ${seconds(timeoutMs)}; see ${logFile}`,
  });
  recordStart(startFile(config), running, took);
  log(`keycloak: up on ${keycloakIssuer()} after ${seconds(took)}`);
}

/** Stops Keycloak only when the project started it. */
export async function stopKeycloak(config: StackConfig, log: (line: string) => void): Promise<void> {
  const pid = ourPid(config);
  if (pid === undefined) return log('keycloak: not started by the project, nothing to stop');
  log(`keycloak: stopping pid ${pid}`);
  await stopProcess(pid, HOME_MARKER);
  fs.rmSync(pidFile(config), { force: true });
  fs.rmSync(startFile(config), { force: true });
  log('keycloak: stopped');
}
