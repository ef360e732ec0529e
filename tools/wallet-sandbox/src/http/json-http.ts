import { type IncomingMessage, type ServerResponse } from 'node:http';

import { type SandboxLog } from '../sandbox-log';
import { errorBody, statusOf, WalletError, WalletErrorCode } from '../ledger/wallet-error';

const MAX_BODY_BYTES = 64 * 1024;

/** The request body as JSON (`undefined` when empty); INVALID_REQUEST when it is not JSON or too large. */
export async function readJsonBody(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new WalletError(WalletErrorCode.InvalidRequest, 'body too large');
    chunks.push(chunk as Buffer);
  }
  if (size === 0) return undefined;
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    throw new WalletError(WalletErrorCode.InvalidRequest, 'body is not JSON');
  }
}

export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): void {
  const payload = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(payload),
    ...headers,
  });
  response.end(payload);
}

export function sendError(response: ServerResponse, error: WalletError): void {
  sendJson(response, statusOf(error.code), errorBody(error));
}

/** Answers a failure of a handler: a WalletError as itself, anything else as a logged 500. */
export function sendFailure(response: ServerResponse, error: unknown, log: SandboxLog): void {
  if (error instanceof WalletError) return sendError(response, error);
  log('error', 'request failed', {
    error: error instanceof Error ? (error.stack ?? error.message) : String(error),
  });
  if (response.headersSent) {
    response.destroy();
    return;
  }
  sendJson(response, 500, { error: { code: 'INTERNAL', message: 'internal error', retryable: true } });
}

/** Path segments of a URL path, percent-decoded. */
export function pathSegments(url: URL): string[] {
  return url.pathname
    .split('/')
    .filter((segment) => segment !== '')
    .map((segment) => decodeURIComponent(segment));
}
