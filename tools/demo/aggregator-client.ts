import {
  createGrpcGatewayClient,
  type GrpcCallResult,
  type GrpcGatewayClient,
  signedHttpClient,
  type SignedHttpClient,
} from '@pitboss/testing';

export type Transport = 'http' | 'grpc';

export interface Money {
  readonly minor_units: number;
  readonly currency: string;
}

export interface AuthorizeRequest {
  readonly bet_id: string;
  readonly round_id: string;
  readonly session_id: string;
  readonly player_id: string;
  readonly game_id: string;
  readonly game_type: string;
  readonly amount: Money;
}

/** One call's outcome as an aggregator sees it, the same shape over both transports. */
export type CallOutcome<T> =
  | { readonly ok: true; readonly body: T; readonly replayed: boolean; readonly latencyMs: number }
  | {
      readonly ok: false;
      /** The catalogue code (`INSUFFICIENT_FUNDS`), or `HTTP_<status>` / `GRPC_<code>` when none was answered. */
      readonly code: string;
      readonly message: string;
      readonly latencyMs: number;
    };

export interface AggregatorClient {
  readonly transport: Transport;
  openSession(
    request: { player_id: string; game_id: string; currency: string; country?: string },
    key: string,
  ): Promise<CallOutcome<{ session_id: string }>>;
  authorize(
    request: AuthorizeRequest,
    key: string,
  ): Promise<CallOutcome<{ status: string; balance: Money | null }>>;
  settle(
    request: { bet_id: string; round_id: string; win: Money },
    key: string,
  ): Promise<CallOutcome<{ status: string }>>;
  rollback(
    request: { bet_id: string; reason: string },
    key: string,
  ): Promise<CallOutcome<{ status: string }>>;
  close(): void;
}

export interface ClientTarget {
  readonly gatewayUrl: string;
  readonly gatewayGrpcAddress: string;
  readonly tenantId: string;
  readonly secret: string;
}

/** A signed aggregator client over one transport (signing: libs/security/README.md). */
export function aggregatorClient(target: ClientTarget, transport: Transport): AggregatorClient {
  return transport === 'http'
    ? httpClient(signedHttpClient(target.gatewayUrl, target.tenantId, target.secret))
    : grpcClient(
        createGrpcGatewayClient({
          address: target.gatewayGrpcAddress,
          tenantId: target.tenantId,
          secret: target.secret,
        }),
      );
}

function httpClient(http: SignedHttpClient): AggregatorClient {
  const post = async <T>(path: string, body: unknown, key: string): Promise<CallOutcome<T>> => {
    const startedAt = performance.now();
    const response = await http.post(path, body, { key });
    const latencyMs = performance.now() - startedAt;
    if (response.status < 300)
      return {
        ok: true,
        body: response.body as T,
        replayed: response.headers.get('idempotent-replayed') === 'true',
        latencyMs,
      };
    const error = (response.body as { error?: { code?: string; message?: string } } | undefined)?.error;
    return {
      ok: false,
      code: error?.code ?? `HTTP_${response.status}`,
      message: error?.message ?? '',
      latencyMs,
    };
  };
  return {
    transport: 'http',
    openSession: (request, key) => post('/v1/sessions', request, key),
    authorize: (request, key) => post('/v1/bets/authorize', request, key),
    settle: (request, key) => post('/v1/bets/settle', request, key),
    rollback: (request, key) => post('/v1/bets/rollback', request, key),
    close: () => undefined,
  };
}

function grpcClient(grpc: GrpcGatewayClient): AggregatorClient {
  const timed = async <T>(call: () => Promise<GrpcCallResult<T>>): Promise<CallOutcome<T>> => {
    const startedAt = performance.now();
    const result = await call();
    const latencyMs = performance.now() - startedAt;
    if (result.ok) return { ok: true, body: result.response, replayed: result.replayed, latencyMs };
    return { ok: false, code: result.errorCode ?? `GRPC_${result.code}`, message: result.details, latencyMs };
  };
  return {
    transport: 'grpc',
    openSession: (request, key) => timed(() => grpc.openSession(request, { idempotencyKey: key })),
    authorize: (request, key) => timed(() => grpc.authorizeBet(request, { idempotencyKey: key })),
    settle: (request, key) => timed(() => grpc.settleBet(request, { idempotencyKey: key })),
    rollback: (request, key) => timed(() => grpc.rollbackBet(request, { idempotencyKey: key })),
    close: () => grpc.close(),
  };
}
