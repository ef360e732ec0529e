import { timingSafeEqual } from 'node:crypto';
import { type IncomingMessage, type ServerResponse } from 'node:http';

import { type Pool } from 'pg';

import { type FaultPlan } from '../faults/fault-plan';
import { type FaultSettings, NO_FAULTS, parseFaultSettings } from '../faults/fault-settings';
import { accountView, ledgerTotals, listLedger, setUpAccount } from '../ledger/admin-queries';
import { findAccount } from '../ledger/ledger-rows';
import { bookAdjustment, setReportOverride, streamTransactionReport } from '../ledger/transaction-report';
import { WalletError, WalletErrorCode } from '../ledger/wallet-error';
import { type SandboxLog } from '../sandbox-log';
import { answerHealth } from './health';
import { type SandboxMetrics } from './sandbox-metrics';
import { pathSegments, readJsonBody, sendError, sendFailure, sendJson } from './json-http';

export interface AdminApiDependencies {
  readonly pool: Pool;
  readonly faults: FaultPlan;
  readonly adminToken: string;
  /** Closes (true) or reopens (false) the wallet API listener. */
  readonly setOffline: (offline: boolean) => Promise<void>;
  readonly log: SandboxLog;
  readonly metrics: SandboxMetrics;
}

/** The admin API (its own port, so it stays up while the wallet API is "offline"). */
export function adminApiHandler(deps: AdminApiDependencies) {
  return (request: IncomingMessage, response: ServerResponse): void => {
    handle(deps, request, response).catch((error: unknown) => sendFailure(response, error, deps.log));
  };
}

async function handle(deps: AdminApiDependencies, request: IncomingMessage, response: ServerResponse) {
  const url = new URL(request.url ?? '/', 'http://sandbox');
  if (request.method === 'GET' && (await answerHealth(url.pathname, deps.pool, response))) return;
  if (request.method === 'GET' && url.pathname === '/metrics') {
    response.writeHead(200, { 'content-type': deps.metrics.registry.contentType });
    response.end(await deps.metrics.registry.metrics());
    return;
  }
  if (!authorised(request.headers['x-admin-token'], deps.adminToken))
    return sendError(
      response,
      new WalletError(WalletErrorCode.Unauthorized, 'X-Admin-Token is missing or wrong'),
    );

  const [admin, resource, tenantId, playerId, ...rest] = pathSegments(url);
  const route = `${request.method} ${admin === 'admin' ? resource : ''}`;
  const nested = tenantId !== undefined;
  if (route === 'POST accounts' && !nested)
    return sendJson(response, 200, await setUpAccount(deps.pool, await readJsonBody(request)));
  if (route === 'GET accounts' && tenantId !== undefined && playerId !== undefined && rest.length === 0) {
    const account = await findAccount(deps.pool, tenantId, playerId);
    if (account === undefined)
      return sendError(response, new WalletError(WalletErrorCode.PlayerNotFound, 'no such player'));
    return sendJson(response, 200, accountView(account));
  }
  if (route === 'GET ledger' && !nested)
    return sendJson(response, 200, await listLedger(deps.pool, url.searchParams));
  if (route === 'GET reports' && tenantId === 'transactions' && playerId === undefined)
    return streamTransactionReport(deps.pool, url.searchParams, response);
  if (route === 'PUT reports' && tenantId === 'overrides' && playerId === undefined)
    return sendJson(response, 200, await setReportOverride(deps.pool, await readJsonBody(request)));
  if (route === 'POST adjustments' && !nested)
    return sendJson(response, 200, await bookAdjustment(deps.pool, await readJsonBody(request)));
  if (route === 'GET totals' && !nested)
    return sendJson(response, 200, await ledgerTotals(deps.pool, url.searchParams.get('tenant_id')));
  if (resource === 'faults' && admin === 'admin' && !nested) {
    if (request.method === 'PUT')
      return sendJson(
        response,
        200,
        await applyFaults(deps, parseFaultSettings((await readJsonBody(request)) ?? {})),
      );
    if (request.method === 'DELETE') return sendJson(response, 200, await applyFaults(deps, NO_FAULTS));
    if (request.method === 'GET') return sendJson(response, 200, deps.faults.settings);
  }
  sendError(
    response,
    new WalletError(WalletErrorCode.NotFound, `no route ${request.method} ${url.pathname}`),
  );
}

async function applyFaults(deps: AdminApiDependencies, settings: FaultSettings): Promise<FaultSettings> {
  // The listener is switched first, so when the answer arrives the API is already refusing (or accepting).
  await deps.setOffline(settings.offline);
  deps.faults.set(settings);
  deps.log('log', 'faults set', { faults: settings });
  return settings;
}

function authorised(given: string | string[] | undefined, expected: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
