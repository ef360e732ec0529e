import { Pool } from 'undici';

import { activeTraceparent } from '@pitboss/observability';

import { type WalletClientConfig } from './wallet-client.config';
import {
  type OkBodyParser,
  outcomeOfError,
  outcomeOfResponse,
  parseBalance,
  parseRollbackResult,
  parseTransactionResult,
} from './wallet-outcome.classifier';
import {
  type WalletBalance,
  type WalletConvertRequest,
  type WalletForfeitRequest,
  type WalletOperation,
  type WalletOutcome,
  type WalletPort,
  type WalletRollbackRequest,
  type WalletRollbackResult,
  type WalletTransactionRequest,
  type WalletTransactionResult,
} from './wallet-port';

/** Told of every call's duration, so a service can feed a histogram without this lib importing prom-client. */
export type WalletCallObserver = (
  operation: WalletOperation,
  outcome: WalletOutcome<unknown>['kind'],
  seconds: number,
) => void;

export interface HttpWalletClientOptions {
  readonly observer?: WalletCallObserver;
}

interface Call<T> {
  readonly operation: WalletOperation;
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly key?: string;
  readonly traceparent?: string;
  readonly body?: unknown;
  readonly parse: OkBodyParser<T>;
}

/**
 * The platform wallet over HTTP (its contract: tools/wallet-sandbox/README.md), through a pool of keep-alive
 * connections. Never throws: every call ends in an outcome (README.md has the classification table). It does
 * not retry either: the caller owns retries, with the same key, after it recorded the attempt.
 */
export class HttpWalletClient implements WalletPort {
  private readonly pool: Pool;

  constructor(
    private readonly config: Pick<WalletClientConfig, 'baseUrl' | 'timeoutMs' | 'maxConnections'>,
    private readonly options: HttpWalletClientOptions = {},
  ) {
    this.pool = new Pool(config.baseUrl, {
      connections: config.maxConnections,
      connect: { timeout: config.timeoutMs },
    });
  }

  debit(request: WalletTransactionRequest): Promise<WalletOutcome<WalletTransactionResult>> {
    return this.transaction('debit', request);
  }

  credit(request: WalletTransactionRequest): Promise<WalletOutcome<WalletTransactionResult>> {
    return this.transaction('credit', request);
  }

  rollback(request: WalletRollbackRequest): Promise<WalletOutcome<WalletRollbackResult>> {
    return this.call({
      operation: 'rollback',
      method: 'POST',
      path: '/v1/wallet/rollback',
      key: request.transactionId,
      traceparent: request.traceparent,
      body: {
        tenant_id: request.tenantId,
        player_id: request.playerId,
        original_transaction_id: request.originalTransactionId,
        round_id: request.roundId,
        bet_id: request.betId,
      },
      parse: parseRollbackResult,
    });
  }

  convert(request: WalletConvertRequest): Promise<WalletOutcome<WalletTransactionResult>> {
    return this.call({
      operation: 'convert',
      method: 'POST',
      path: '/v1/wallet/convert',
      key: request.transactionId,
      traceparent: request.traceparent,
      body: {
        tenant_id: request.tenantId,
        player_id: request.playerId,
        amount: request.amount,
        grant_id: request.grantId,
        max_amount: request.maxAmount,
      },
      parse: parseTransactionResult,
    });
  }

  forfeit(request: WalletForfeitRequest): Promise<WalletOutcome<WalletTransactionResult>> {
    return this.call({
      operation: 'forfeit',
      method: 'POST',
      path: '/v1/wallet/forfeit',
      key: request.transactionId,
      traceparent: request.traceparent,
      body: { tenant_id: request.tenantId, player_id: request.playerId, grant_id: request.grantId },
      parse: parseTransactionResult,
    });
  }

  balance(tenantId: string, playerId: string): Promise<WalletOutcome<WalletBalance>> {
    return this.call({
      operation: 'balance',
      method: 'GET',
      path: `/v1/wallet/balance/${encodeURIComponent(tenantId)}/${encodeURIComponent(playerId)}`,
      parse: parseBalance,
    });
  }

  /** Closes the pooled connections (at shutdown). */
  async close(): Promise<void> {
    await this.pool.close();
  }

  private transaction(
    operation: 'debit' | 'credit',
    request: WalletTransactionRequest,
  ): Promise<WalletOutcome<WalletTransactionResult>> {
    return this.call({
      operation,
      method: 'POST',
      path: `/v1/wallet/${operation}`,
      key: request.transactionId,
      traceparent: request.traceparent,
      body: {
        tenant_id: request.tenantId,
        player_id: request.playerId,
        amount: request.amount,
        round_id: request.roundId,
        bet_id: request.betId,
        grant_id: request.grantId,
        balance: operation === 'credit' ? request.balance : undefined,
      },
      parse: parseTransactionResult,
    });
  }

  private async call<T>(call: Call<T>): Promise<WalletOutcome<T>> {
    const started = performance.now();
    const outcome = await this.send(call);
    this.options.observer?.(call.operation, outcome.kind, (performance.now() - started) / 1_000);
    return outcome;
  }

  private async send<T>(call: Call<T>): Promise<WalletOutcome<T>> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (call.body !== undefined) headers['content-type'] = 'application/json';
    if (call.key !== undefined) headers['x-idempotency-key'] = call.key;
    // With tracing on, the undici instrumentation injects the client span's own traceparent; a second header
    // would reach the wallet as "a, b", which no W3C parser accepts.
    if (call.traceparent !== undefined && activeTraceparent() === undefined)
      headers['traceparent'] = call.traceparent;
    // One deadline for the whole call, queueing for a connection and reading the body included.
    const deadline = AbortSignal.timeout(this.config.timeoutMs);
    try {
      const response = await this.pool.request({
        method: call.method,
        path: call.path,
        headers,
        // JSON.stringify drops the optional fields left undefined, as the contract expects.
        body: call.body === undefined ? undefined : JSON.stringify(call.body),
        signal: deadline,
      });
      const text = await response.body.text();
      return outcomeOfResponse(response.statusCode, parseJson(text), call.parse);
    } catch (error) {
      return outcomeOfError(error, deadline.aborted);
    }
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
