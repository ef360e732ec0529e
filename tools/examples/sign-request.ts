/**
 * Signing a Pitboss bet-gateway request, with nothing but node:crypto and fetch (Node 20+), as an aggregator's
 * integration code would. See docs/aggregator-guide.md, "Authentication".
 *
 *   npx tsx tools/examples/sign-request.ts
 *       prints the signing string and signature of the guide's worked examples
 *   npx tsx tools/examples/sign-request.ts --url http://127.0.0.1:3000 --tenant demo-tenant --secret demo-secret
 *       opens a session with a signed POST /v1/sessions and prints the answer
 *       [--player player-42] [--game starburst] [--currency EUR] [--replay: send it again with the same key]
 */
import { createHmac, randomUUID } from 'node:crypto';

export interface RequestToSign {
  /** Unix milliseconds, sent as `X-Timestamp`. */
  readonly timestamp: number;
  readonly method: string;
  /** The path with the query string, exactly as sent. */
  readonly path: string;
  /**
   * The `X-Idempotency-Key` header exactly as sent ('' for none, as on GET). Signed, so that a captured request
   * cannot be sent again under a new key, which would execute it again.
   */
  readonly idempotencyKey: string;
  /** The body exactly as sent ('' for none). */
  readonly body: string;
}

/** `timestamp + "." + METHOD + "." + path + "." + idempotencyKey + "." + body`. */
export function signingString({ timestamp, method, path, idempotencyKey, body }: RequestToSign): string {
  return `${timestamp}.${method.toUpperCase()}.${path}.${idempotencyKey}.${body}`;
}

/** Lower-case hex HMAC-SHA256 of the signing string's UTF-8 bytes, keyed with the tenant secret. */
export function signature(secret: string, request: RequestToSign): string {
  return createHmac('sha256', secret).update(signingString(request), 'utf8').digest('hex');
}

/** The signature headers, and the idempotency key that was signed (send exactly the key you signed). */
export function signedHeaders(
  tenantId: string,
  secret: string,
  request: RequestToSign,
): Record<string, string> {
  return {
    'X-Tenant-Id': tenantId,
    'X-Timestamp': String(request.timestamp),
    'X-Signature': signature(secret, request),
    ...(request.idempotencyKey === '' ? {} : { 'X-Idempotency-Key': request.idempotencyKey }),
  };
}

/** The guide's worked examples: tenant `demo-tenant`, secret `demo-secret`, 2025-01-01T00:00:00Z. */
export const WORKED_EXAMPLES = {
  tenantId: 'demo-tenant',
  secret: 'demo-secret',
  requests: [
    {
      timestamp: 1735689600000,
      method: 'POST',
      path: '/v1/sessions',
      idempotencyKey: 'open-session-1',
      body: '{"player_id":"player-42","game_id":"starburst","currency":"EUR"}',
    },
    { timestamp: 1735689600000, method: 'GET', path: '/v1/bets/bet-1', idempotencyKey: '', body: '' },
  ] satisfies RequestToSign[],
};

interface Options {
  readonly url?: string;
  readonly tenant: string;
  readonly secret: string;
  readonly player: string;
  readonly game: string;
  readonly currency: string;
  readonly replay: boolean;
}

export function optionsOf(argv: readonly string[]): Options {
  const value = (name: string): string | undefined => {
    const index = argv.indexOf(`--${name}`);
    if (index < 0) return undefined;
    const given = argv[index + 1];
    if (given === undefined || given.startsWith('--')) throw new Error(`--${name} needs a value`);
    return given;
  };
  return {
    ...(value('url') === undefined ? {} : { url: value('url') }),
    tenant: value('tenant') ?? WORKED_EXAMPLES.tenantId,
    secret: value('secret') ?? WORKED_EXAMPLES.secret,
    player: value('player') ?? 'player-42',
    game: value('game') ?? 'starburst',
    currency: value('currency') ?? 'EUR',
    replay: argv.includes('--replay'),
  };
}

function printWorkedExamples(): void {
  const { tenantId, secret, requests } = WORKED_EXAMPLES;
  console.log(`tenant ${tenantId}, secret ${secret}`);
  for (const request of requests) {
    const key = request.idempotencyKey === '' ? 'no idempotency key' : `key ${request.idempotencyKey}`;
    console.log(
      `\n${request.method} ${request.path} at ${new Date(request.timestamp).toISOString()}, ${key}`,
    );
    console.log(`signing string: ${signingString(request)}`);
    console.log(`X-Signature:    ${signature(secret, request)}`);
  }
}

/** A signed POST /v1/sessions; with --replay the same request (same key, new timestamp) a second time. */
async function openSession(options: Options & { url: string }): Promise<void> {
  // Serialize once and send exactly these bytes: the signature covers them.
  const body = JSON.stringify({
    player_id: options.player,
    game_id: options.game,
    currency: options.currency,
  });
  const idempotencyKey = `session-${randomUUID()}`;
  for (let attempt = 1; attempt <= (options.replay ? 2 : 1); attempt++) {
    const request = { timestamp: Date.now(), method: 'POST', path: '/v1/sessions', idempotencyKey, body };
    const response = await fetch(new URL(request.path, options.url), {
      method: request.method,
      // signedHeaders sets X-Idempotency-Key too: the key sent is the key signed.
      headers: {
        ...signedHeaders(options.tenant, options.secret, request),
        'Content-Type': 'application/json',
      },
      body,
    });
    console.log(
      `\n> POST ${new URL(request.path, options.url).href}  (X-Idempotency-Key: ${idempotencyKey})`,
    );
    console.log(`> signing string: ${signingString(request)}`);
    console.log(`< ${response.status} ${response.statusText}`);
    for (const name of ['idempotent-replayed', 'retry-after']) {
      const header = response.headers.get(name);
      if (header !== null) console.log(`< ${name}: ${header}`);
    }
    console.log(`< ${await response.text()}`);
  }
}

async function main(): Promise<void> {
  const options = optionsOf(process.argv.slice(2));
  if (options.url === undefined) printWorkedExamples();
  else await openSession({ ...options, url: options.url });
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
