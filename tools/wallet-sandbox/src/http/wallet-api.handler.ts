import { type IncomingMessage, type ServerResponse } from 'node:http';
import { type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

import { type Pool } from 'pg';

import { type FaultPlan } from '../faults/fault-plan';
import { WalletError, WalletErrorCode } from '../ledger/wallet-error';
import { type WalletLedger, type WalletResponse } from '../ledger/wallet-ledger';
import { parseIdempotencyKey, parseRequest, walletRequests } from '../ledger/wallet-requests';
import { type SandboxLog } from '../sandbox-log';
import { answerHealth } from './health';
import { type SandboxMetrics } from './sandbox-metrics';
import { pathSegments, readJsonBody, sendError, sendFailure, sendJson } from './json-http';

export interface WalletApiDependencies {
  readonly ledger: WalletLedger;
  readonly pool: Pool;
  readonly faults: FaultPlan;
  /** Sockets of requests held by the timeout fault; closed when the sandbox stops. */
  readonly heldSockets: Set<Socket>;
  readonly log: SandboxLog;
  readonly metrics: SandboxMetrics;
}

type Route =
  | { readonly operation: 'debit' | 'credit' | 'rollback' | 'convert' | 'forfeit' }
  | { readonly operation: 'balance'; readonly tenantId: string; readonly playerId: string };

/** The wallet contract: `POST /v1/wallet/debit|credit|rollback|convert|forfeit`, `GET /v1/wallet/balance/:t/:p`. */
export function walletApiHandler(deps: WalletApiDependencies) {
  return (request: IncomingMessage, response: ServerResponse): void => {
    handle(deps, request, response).catch((error: unknown) => sendFailure(response, error, deps.log));
  };
}

async function handle(deps: WalletApiDependencies, request: IncomingMessage, response: ServerResponse) {
  const url = new URL(request.url ?? '/', 'http://sandbox');
  if (request.method === 'GET' && (await answerHealth(url.pathname, deps.pool, response))) return;
  const route = routeOf(request.method, pathSegments(url));
  if (route === undefined)
    return sendError(
      response,
      new WalletError(WalletErrorCode.NotFound, `no route ${request.method} ${url.pathname}`),
    );

  const handled = deps.metrics.received(route.operation);
  try {
    await answer(deps, route, request, response);
  } finally {
    handled();
  }
}

async function answer(
  deps: WalletApiDependencies,
  route: Route,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const started = performance.now();
  const record = (status: number, fault: string) =>
    deps.metrics.record(route.operation, status, fault, (performance.now() - started) / 1_000);
  const body = route.operation === 'balance' ? undefined : await readJsonBody(request);
  const latency = deps.faults.latencyFor(route.operation);
  if (latency > 0) await sleep(latency);
  const fault = deps.faults.decide(route.operation);
  switch (fault.kind) {
    case 'error':
      record(503, fault.kind);
      return sendError(
        response,
        new WalletError(WalletErrorCode.Unavailable, 'injected fault: not processed'),
      );
    case 'timeout':
      // Never answered: the client sees its own timeout, exactly as with a wallet that hangs.
      record(0, fault.kind);
      deps.heldSockets.add(request.socket);
      request.socket.once('close', () => deps.heldSockets.delete(request.socket));
      return;
    case 'commit_then_drop':
    case 'none':
      break;
  }

  const answer = await execute(deps, route, request, body);
  if (fault.kind === 'commit_then_drop') {
    // The transaction has committed; the caller never learns it (the worst case for a money path).
    request.socket.destroy();
    record(0, fault.kind);
    return;
  }
  record(answer.status, fault.kind);
  sendJson(response, answer.status, answer.body, answer.replayed ? { 'idempotent-replayed': 'true' } : {});
}

function execute(
  { ledger }: WalletApiDependencies,
  route: Route,
  request: IncomingMessage,
  body: unknown,
): Promise<WalletResponse> {
  if (route.operation === 'balance') return ledger.balance(route.tenantId, route.playerId);
  const key = parseIdempotencyKey(request.headers['x-idempotency-key']);
  switch (route.operation) {
    case 'debit':
      return ledger.debit(key, parseRequest(walletRequests.transaction, body));
    case 'credit':
      return ledger.credit(key, parseRequest(walletRequests.credit, body));
    case 'rollback':
      return ledger.rollback(key, parseRequest(walletRequests.rollback, body));
    case 'convert':
      return ledger.convert(key, parseRequest(walletRequests.convert, body));
    case 'forfeit':
      return ledger.forfeit(key, parseRequest(walletRequests.forfeit, body));
  }
}

function routeOf(method: string | undefined, segments: readonly string[]): Route | undefined {
  const [v1, wallet, operation, tenantId, playerId, ...rest] = segments;
  if (v1 !== 'v1' || wallet !== 'wallet' || rest.length > 0) return undefined;
  if (method === 'GET' && operation === 'balance' && tenantId !== undefined && playerId !== undefined)
    return { operation, tenantId, playerId };
  if (method !== 'POST' || tenantId !== undefined) return undefined;
  if (
    operation === 'debit' ||
    operation === 'credit' ||
    operation === 'rollback' ||
    operation === 'convert' ||
    operation === 'forfeit'
  )
    return { operation };
  return undefined;
}
