import fs from 'node:fs';
import path from 'node:path';
import { StackError } from './errors';
import type { StackConfig, StartedBy } from './stack-config';
import { ensureApicurioApp } from './maven-artifacts';
import { isPortOpen, seconds, waitUntil } from './ports';
import { runningPid, spawnDetached, stopProcess } from './processes';
import { requireJava } from './toolchain';

/** Substring of the registry's command line; identifies our JVM behind a pid file. */
const MARKER = 'apicurio-registry-app';

/** Services register schemas expecting this rule; BACKWARD lets consumers upgrade before producers. */
const COMPATIBILITY = 'BACKWARD';

function registryDir(config: StackConfig): string {
  return path.join(config.stackDir, 'apicurio');
}

function pidFile(config: StackConfig): string {
  return path.join(registryDir(config), 'registry.pid');
}

/** 200 on the Confluent-compatible subjects list: the API our clients use, not just an open HTTP port. */
export async function registryAnswers(config: StackConfig): Promise<boolean> {
  try {
    const response = await fetch(`${config.registryUrl}/subjects`, { signal: AbortSignal.timeout(3000) });
    await response.arrayBuffer();
    return response.status === 200;
  } catch {
    return false;
  }
}

export function registryStartedBy(config: StackConfig): StartedBy {
  return runningPid(pidFile(config), MARKER) === undefined ? 'machine' : 'project';
}

/**
 * Set on every `up` because the local registry keeps schemas and rules in memory: a restart forgets them.
 * Verified by reading back, since a registry may accept the PUT and ignore it.
 */
async function setGlobalCompatibility(config: StackConfig): Promise<void> {
  const url = `${config.registryUrl}/config`;
  const put = await fetch(url, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ compatibility: COMPATIBILITY }),
    signal: AbortSignal.timeout(5000),
  });
  const putBody = await put.text();
  if (!put.ok)
    throw new StackError(`schema registry refused PUT ${url} (${put.status}: ${putBody.slice(0, 200)})`);
  const get = await fetch(url, { signal: AbortSignal.timeout(5000) });
  const current = (await get.json()) as { compatibilityLevel?: unknown; compatibility?: unknown };
  const level = current.compatibilityLevel ?? current.compatibility;
  if (level !== COMPATIBILITY) {
    throw new StackError(
      `schema registry global compatibility is ${String(level)} after setting ${COMPATIBILITY}`,
    );
  }
}

/** Uses a running registry (ours or the machine's), else fetches and starts Apicurio, then enforces BACKWARD. */
export async function ensureRegistry(config: StackConfig, log: (line: string) => void): Promise<void> {
  const dir = registryDir(config);
  const logs = path.join(dir, 'logs');
  const logFile = path.join(logs, 'registry.log');
  let pid = runningPid(pidFile(config), MARKER);

  if (pid === undefined) {
    if (await isPortOpen(config.registryPort)) {
      if (!(await registryAnswers(config))) {
        throw new StackError(
          `port ${config.registryPort} is taken by another process and does not answer as a schema registry; set SCHEMA_REGISTRY_PORT`,
        );
      }
      log(
        `schema-registry: using the registry already answering on ${config.registryUrl} (not started by the project)`,
      );
    } else {
      const java = await requireJava();
      const jar = await ensureApicurioApp(config.stackDir, log);
      fs.mkdirSync(logs, { recursive: true });
      pid = spawnDetached({
        command: java,
        args: [
          '-Xmx512m',
          `-Dquarkus.http.port=${config.registryPort}`,
          '-Dquarkus.http.host=127.0.0.1',
          // Keeps Vert.x's file cache inside .stack instead of littering /tmp.
          `-Dvertx.cacheDirBase=${path.join(dir, 'vertx-cache')}`,
          '-jar',
          jar,
        ],
        cwd: path.dirname(jar),
        logFile,
        pidFile: pidFile(config),
      });
      log(`schema-registry: started (pid ${pid}), waiting for ${config.registryUrl}`);
    }
  } else if (!(await registryAnswers(config))) {
    log(`schema-registry: pid ${pid} is running but not answering yet, waiting for ${config.registryUrl}`);
  }

  if (pid !== undefined && !(await registryAnswers(config))) {
    const running = pid;
    const took = await waitUntil({
      what: 'schema-registry',
      timeoutMs: config.startTimeoutMs,
      log,
      probe: () => registryAnswers(config),
      failed: () =>
        runningPid(pidFile(config), MARKER) === undefined
          ? `schema-registry exited while starting; see ${logFile}`
          : undefined,
      timeoutMessage: `schema-registry (pid ${running}) did not answer on ${config.registryUrl} within ${seconds(config.startTimeoutMs)}; see ${logFile}`,
    });
    log(`schema-registry: up on ${config.registryUrl} after ${seconds(took)}`);
  } else if (pid !== undefined) {
    log(`schema-registry: up on ${config.registryUrl} (pid ${pid}, started by the project)`);
  }
  await setGlobalCompatibility(config);
  log(`schema-registry: global compatibility ${COMPATIBILITY}`);
}

/** Stops the registry only when the project started it. */
export async function stopRegistry(config: StackConfig, log: (line: string) => void): Promise<void> {
  const pid = runningPid(pidFile(config), MARKER);
  if (pid === undefined) return log('schema-registry: not started by the project, nothing to stop');
  log(`schema-registry: stopping pid ${pid}`);
  await stopProcess(pid, MARKER);
  fs.rmSync(pidFile(config), { force: true });
  log('schema-registry: stopped');
}
