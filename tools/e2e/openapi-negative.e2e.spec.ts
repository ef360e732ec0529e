import { randomUUID } from 'node:crypto';

import { ERROR_CATALOGUE } from '@pitboss/contracts';
import { createPool } from '@pitboss/event-store';
import { infrastructureConfig } from '@pitboss/platform-config';
import { signedHeaders } from '@pitboss/security';
import {
  type MoneyFleet,
  openTestPlayer,
  signedHttpClient,
  startMoneyFleet,
  type TestPlayer,
} from '@pitboss/testing';

import {
  casesOf,
  documentedCodes,
  isAggregatorSigned,
  jsonBodySchema,
  type NegativeCase,
  type Operation,
  operationsOf,
} from './openapi-negative-cases';

/**
 * A dynamic scan of the running gateway (issue 12; OWASP ZAP is not on Maven Central): every operation of the
 * OpenAPI document the gateway serves gets requests that break one thing each (its body schema, path parameters,
 * media type, idempotency key, credentials). Every answer must be a 4xx the document lists for that operation,
 * with the error body and a catalogue code the document lists for that status, and nothing may change: the
 * player's balance stays, the gateway's event store gets no event and the bet ids used stay unknown.
 */
describe('OpenAPI negative scan of the running gateway', () => {
  let fleet: MoneyFleet;
  let player: TestPlayer;
  let operations: Operation[];
  const betId = `b-${randomUUID()}`;
  const roundId = `r-${randomUUID()}`;

  beforeAll(async () => {
    fleet = await startMoneyFleet({ label: 'oaneg', settleWorker: false });
    player = await openTestPlayer(fleet, { cash: 10_000 });
    const served = await fetch(`${fleet.gateway.url}/docs/openapi.json`);
    expect(served.status).toBe(200);
    operations = operationsOf((await served.json()) as Parameters<typeof operationsOf>[0]);
  });

  afterAll(async () => {
    await fleet?.stop();
  });

  /** The document's example body with the test's own player, session and (never accepted) bet ids. */
  const validBodyOf = (operation: Operation): unknown => {
    const example = jsonBodySchema(operation)?.example;
    if (typeof example !== 'object' || example === null) return example;
    const ours: Record<string, string> = {
      player_id: player.playerId,
      session_id: player.sessionId,
      bet_id: betId,
      round_id: roundId,
    };
    return Object.fromEntries(Object.entries(example).map(([field, value]) => [field, ours[field] ?? value]));
  };

  const validParamsOf = (operation: Operation): Record<string, string> =>
    Object.fromEntries(
      (operation.parameters ?? [])
        .filter((parameter) => parameter.in === 'path')
        .map((parameter) => [parameter.name, parameter.name === 'round_id' ? roundId : betId]),
    );

  const pathWith = (template: string, params: Record<string, string>) =>
    template.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(params[name] ?? ''));

  async function send(operation: Operation, sample: NegativeCase | { kind: 'valid' }) {
    const method = operation.method.toUpperCase() as 'GET' | 'POST' | 'PUT';
    const params = sample.kind === 'path' ? sample.params : validParamsOf(operation);
    const path = pathWith(operation.path, params);
    const hasBody = jsonBodySchema(operation) !== undefined;
    let body = hasBody ? JSON.stringify(sample.kind === 'body' ? sample.body : validBodyOf(operation)) : '';
    let contentType = 'application/json';
    if (sample.kind === 'raw') [body, contentType] = [sample.raw, sample.contentType];
    const key = sample.kind === 'idempotency-key' ? sample.key : method === 'GET' ? undefined : randomUUID();
    const headers: Record<string, string> = hasBody ? { 'content-type': contentType } : {};
    if (key !== undefined) headers['x-idempotency-key'] = key;
    const secret = sample.kind === 'bad-signature' ? `${fleet.secret}-wrong` : fleet.secret;
    const timestamp = Date.now() - (sample.kind === 'stale-timestamp' ? 10 * 60_000 : 0);
    const tenantId = sample.kind === 'unknown-tenant' ? `${fleet.tenantId}-nobody` : fleet.tenantId;
    if (sample.kind === 'bad-token') headers.authorization = 'Bearer not-a-jwt';
    const signed = ['unsigned', 'no-token', 'bad-token'].includes(sample.kind)
      ? {}
      : signedHeaders({
          tenantId,
          secret,
          timestamp,
          method,
          path,
          idempotencyKey: key,
          body,
        });
    const response = await fetch(`${fleet.gateway.url}${path}`, {
      method,
      headers: { ...signed, ...headers },
      ...(hasBody ? { body } : {}),
    });
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = text;
    }
    return { status: response.status, body: parsed as { error?: Record<string, unknown> } };
  }

  /** What is wrong with one answer, or undefined when it is the documented refusal. */
  function problemOf(
    operation: Operation,
    sample: NegativeCase,
    answer: { status: number; body: { error?: Record<string, unknown> } },
  ): string | undefined {
    const code = answer.body?.error?.code;
    const seen = `${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`;
    if (answer.status < 400 || answer.status >= 500) return `not a 4xx: ${seen}`;
    const listed = documentedCodes(operation, answer.status);
    if (listed === undefined)
      return `status ${answer.status} is not in the document for ${operation.operationId}: ${seen}`;
    const { error } = answer.body;
    if (
      typeof code !== 'string' ||
      typeof error?.message !== 'string' ||
      typeof error?.retryable !== 'boolean'
    )
      return `not the error body {error:{code,message,retryable}}: ${seen}`;
    if (!(code in ERROR_CATALOGUE)) return `code ${code} is not in the catalogue: ${seen}`;
    const entry = ERROR_CATALOGUE[code as keyof typeof ERROR_CATALOGUE];
    if (entry.httpStatus !== answer.status || entry.retryable !== error.retryable)
      return `status/retryable disagree with the catalogue's ${entry.httpStatus}/${entry.retryable}: ${seen}`;
    if (!listed.includes(code))
      return `code ${code} is not listed under ${answer.status} of ${operation.operationId}: ${seen}`;
    if (!sample.expect.includes(code)) return `expected one of ${sample.expect.join('/')}: ${seen}`;
    return undefined;
  }

  /** Rows of the gateway's own schema: its event store, its bet index and its sessions. */
  async function gatewayRows(): Promise<{ events: number; bets: number; sessions: number }> {
    const pool = createPool({
      databaseUrl: infrastructureConfig().databaseUrl,
      schema: fleet.gatewaySchema,
      maxConnections: 1,
    });
    try {
      const { rows } = await pool.query<{ events: string; bets: string; sessions: string }>(
        `SELECT (SELECT count(*) FROM events) AS events, (SELECT count(*) FROM bet_index) AS bets,
                (SELECT count(*) FROM sessions) AS sessions`,
      );
      return {
        events: Number(rows[0]!.events),
        bets: Number(rows[0]!.bets),
        sessions: Number(rows[0]!.sessions),
      };
    } finally {
      await pool.end();
    }
  }

  it('answers every broken request of every documented operation with a documented 4xx and changes nothing', async () => {
    const cashBefore = (await fleet.wallet.admin.balance(fleet.tenantId, player.playerId)).cash;
    const rowsBefore = await gatewayRows();
    expect(rowsBefore.sessions).toBe(1); // the player's session: the count does read the fleet's schema

    const problems: string[] = [];
    const perOperation: string[] = [];
    let total = 0;
    for (const operation of operations) {
      const cases = casesOf(operation, validBodyOf(operation), validParamsOf(operation));
      perOperation.push(`${operation.operationId}:${cases.length}`);
      for (const sample of cases) {
        total += 1;
        const problem = problemOf(operation, sample, await send(operation, sample));
        if (problem !== undefined)
          problems.push(`${operation.method.toUpperCase()} ${operation.path} [${sample.name}] ${problem}`);
      }
    }
    // The one-line summary of the scan, for the run's log.
    console.log(
      `openapi negative scan: ${operations.length} operations, ${total} cases (${perOperation.join(' ')}), ${problems.length} problems`,
    );

    expect(problems).toEqual([]);
    expect(operations.map((operation) => operation.operationId)).toEqual(
      expect.arrayContaining(['openSession', 'authorizeBet', 'settleBet', 'rollbackBet', 'getBet']),
    );
    expect((await fleet.wallet.admin.balance(fleet.tenantId, player.playerId)).cash).toEqual(cashBefore);
    expect(await gatewayRows()).toEqual(rowsBefore);
    const client = signedHttpClient(fleet.gateway.url, fleet.tenantId, fleet.secret);
    const bet = await client.get(`/v1/bets/${betId}`);
    expect([bet.status, bet.body.error?.code]).toEqual([404, 'BET_NOT_FOUND']);
  });

  // The control of the scan: the request every case broke one thing of is itself accepted (or refused only for
  // the bet's state), so each refusal above came from the one thing broken. Run last: it does change the wallet.
  it('accepts the unbroken request of every aggregator operation', async () => {
    const refusals: string[] = [];
    for (const operation of operations.filter(isAggregatorSigned)) {
      const answer = await send(operation, { kind: 'valid' });
      const code = answer.body?.error?.code;
      if (answer.status >= 500 || (typeof code === 'string' && !STATE_REFUSALS.includes(code)))
        refusals.push(`${operation.operationId}: ${answer.status} ${JSON.stringify(answer.body)}`);
    }
    expect(refusals).toEqual([]);
  });
});

/** Refusals of a valid request for the bet's state, not its form: the control's rollback after a settle. */
const STATE_REFUSALS = ['BET_ALREADY_SETTLED'];
