import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';

import { infrastructureConfig } from '@pitboss/platform-config';
import { issueToken, startMoneyFleet, startServiceProcess } from '@pitboss/testing';

import { machineLine } from './bench-support';

const { values: flags } = parseArgs({
  options: { changes: { type: 'string' }, 'no-build': { type: 'boolean' } },
});
const CHANGES = Number(flags.changes ?? process.env['BENCH_CONFIG_CHANGES'] ?? 20);
if (!Number.isInteger(CHANGES) || CHANGES < 1) throw new Error(`--changes must be a positive integer`);
const TENANT = 'brand-a';
const REGION = infrastructureConfig().region;
const GAME = `bench-${randomBytes(3).toString('hex')}`;
/** How often each replica is asked which version it enforces while a change propagates. */
const PROBE_MS = 2;
const GIVE_UP_MS = 10_000;

interface Sample {
  readonly kind: 'kill switch (one person)' | 'feature on (approved)';
  /** From sending the applying call until each replica answered the new version. */
  readonly replicaMs: readonly number[];
  /** The same, from the applying call's answer (the change committed before it): propagation alone. */
  readonly afterAnswerMs: readonly number[];
}

/**
 * `npm run bench:config`: two bet-gateway replicas (two processes, one Postgres schema) and N game config changes
 * through the four-eyes routes, alternating a kill switch (feature off: applied by one person as it is submitted)
 * and turning it back on (submitted, then approved by a second client). For each change, the time from sending the
 * call that applies it until each replica answers the new version on GET /v1/games/{id}/config, which reads the
 * same in-memory config authorize checks. Prints p50 and max per kind; asserts nothing about time.
 */
async function main(): Promise<void> {
  // `--no-build`: run the dist as it is (built by hand or by an int run).
  if (!(flags['no-build'] ?? false)) build();
  const secret = randomBytes(16).toString('hex');
  const fleet = await startMoneyFleet({
    label: 'benchcfg',
    settleWorker: false,
    gatewayEnv: { TENANT_SECRETS: `${TENANT}:${secret}` },
  });
  const replica = await startServiceProcess('bet-gateway', { env: fleet.env.gateway }).catch(
    async (error) => {
      await fleet.stop();
      throw error;
    },
  );
  try {
    const replicas = [fleet.gateway.url, replica.url];
    const author = await issueToken('brand-a-ops-1', { scope: 'config:write' });
    const approver = await issueToken('brand-a-ops-2', { scope: 'config:approve' });
    const call = async (base: string, method: string, path: string, token: string, body?: unknown) => {
      const response = await fetch(`${base}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return {
        status: response.status,
        body: (await response.json()) as { id: string; status: string; version: number },
      };
    };
    const config = (bonusBuy: boolean) => ({
      game_id: GAME,
      region: REGION,
      stake_limits: [],
      denominations: [],
      geo_bans: [],
      features: { bonus_buy: bonusBuy },
      math: null,
    });
    const submit = (bonusBuy: boolean) =>
      call(replicas[0]!, 'POST', '/v1/change-requests', author, {
        kind: 'game_config',
        payload: config(bonusBuy),
        reason: 'bench:config',
      });
    const versionOn = async (base: string) => {
      const answer = await call(base, 'GET', `/v1/games/${GAME}/config`, author);
      return answer.status === 200 ? answer.body.version : 0;
    };
    const until = async (base: string, version: number, since: number): Promise<number> => {
      for (;;) {
        if ((await versionOn(base)) >= version) return performance.now() - since;
        if (performance.now() - since > GIVE_UP_MS)
          throw new Error(`${base} did not reach version ${version}`);
        await new Promise((resolve) => setTimeout(resolve, PROBE_MS));
      }
    };

    // Version 1: the feature on (two people), so that the first measured change is a kill switch.
    const first = await submit(true);
    await call(replicas[1]!, 'POST', `/v1/change-requests/${first.body.id}/approve`, approver, {});
    await Promise.all(replicas.map((base) => until(base, 1, performance.now())));

    const samples: Sample[] = [];
    for (let change = 0; change < CHANGES; change += 1) {
      const version = change + 2;
      const on = change % 2 === 1;
      let since: number;
      if (on) {
        const pending = await submit(true);
        since = performance.now();
        const approved = await call(
          replicas[1]!,
          'POST',
          `/v1/change-requests/${pending.body.id}/approve`,
          approver,
          {},
        );
        if (approved.status !== 200) throw new Error(`approve answered ${approved.status}`);
      } else {
        since = performance.now();
        const applied = await submit(false);
        if (applied.body.status !== 'applied') throw new Error(`kill switch answered ${applied.body.status}`);
      }
      const answered = performance.now();
      const replicaMs = await Promise.all(replicas.map((base) => until(base, version, since)));
      samples.push({
        kind: on ? 'feature on (approved)' : 'kill switch (one person)',
        replicaMs,
        afterAnswerMs: replicaMs.map((ms) => ms - (answered - since)),
      });
    }

    console.log(`bench:config on ${machineLine()}`);
    console.log(`${CHANGES} changes of one game's config, 2 replicas, probe every ${PROBE_MS} ms`);
    for (const kind of ['kill switch (one person)', 'feature on (approved)'] as const) {
      const of = samples.filter((sample) => sample.kind === kind);
      if (of.length === 0) continue;
      const sent = of.flatMap((sample) => sample.replicaMs);
      const after = of.flatMap((sample) => sample.afterAnswerMs);
      console.log(
        `${kind}: enforced on each replica, from sending the call p50 ${p(sent, 0.5)} ms, max ${p(sent, 1)} ms; ` +
          `from its answer p50 ${p(after, 0.5)} ms, max ${p(after, 1)} ms (n=${sent.length})`,
      );
    }
  } finally {
    await replica.kill();
    await fleet.stop();
  }
}

function p(values: readonly number[], quantile: number): string {
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(quantile * sorted.length) - 1));
  return sorted[index]!.toFixed(1);
}

/** The replicas run from their builds, as in the int tests; Nx answers from its cache when nothing changed. */
function build(): void {
  const result = spawnSync(
    'npx',
    ['nx', 'run-many', '-t', 'build', '--projects', 'bet-gateway,outbox-relay'],
    {
      encoding: 'utf8',
    },
  );
  if (result.status !== 0)
    throw new Error(`build failed:\n${`${result.stdout}${result.stderr}`.slice(-3_000)}`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
