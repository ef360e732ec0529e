import { Client, credentials, Metadata, type MethodDefinition, type ServiceError } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';

import { BET_GATEWAY_PROTO_PATH } from '@pitboss/contracts';
import { GRPC_SIGNING_METHOD, signedHeaders } from '@pitboss/security';

const SERVICE = 'pitboss.gateway.v1.BetGateway';

export interface GrpcMoney {
  readonly minor_units: number;
  readonly currency: string;
}

/** Money as sent: int64 minor units as a number or, to send values beyond 2^53 exactly, a decimal string. */
export interface GrpcMoneyInput {
  readonly minor_units: number | string;
  readonly currency: string;
}

export interface GrpcOpenSessionRequest {
  readonly player_id: string;
  readonly game_id: string;
  readonly currency: string;
}

export interface GrpcAuthorizeBetRequest {
  readonly bet_id: string;
  readonly round_id: string;
  readonly session_id: string;
  readonly player_id: string;
  readonly game_id: string;
  readonly game_type: string;
  readonly amount: GrpcMoneyInput;
  readonly bonus_grant_id?: string;
}

export interface GrpcSettleBetRequest {
  readonly bet_id: string;
  readonly round_id: string;
  readonly win: GrpcMoneyInput;
}

export interface GrpcRollbackBetRequest {
  readonly bet_id: string;
  readonly reason: string;
}

export interface GrpcOpenSessionResponse {
  readonly session_id: string;
  readonly expires_at: string;
}

export interface GrpcAuthorizeBetResponse {
  readonly status: string;
  readonly bet_id: string;
  readonly balance: GrpcMoney | null;
}

export interface GrpcBetStatusResponse {
  readonly status: string;
  readonly bet_id: string;
}

export interface GrpcBetView {
  readonly bet_id: string;
  readonly round_id: string;
  readonly session_id: string;
  readonly player_id: string;
  readonly game_id: string;
  readonly game_type: string;
  readonly amount: GrpcMoney | null;
  readonly win?: GrpcMoney;
  readonly status: string;
  readonly bonus_grant_id?: string;
  readonly history: readonly {
    readonly type: string;
    readonly occurred_at: string;
    readonly data_json: string;
  }[];
}

export interface GrpcRoundView {
  readonly round_id: string;
  readonly bets: readonly GrpcBetView[];
}

export interface GrpcCallOptions {
  /** `x-idempotency-key`; the gateway refuses writes without one (IDEMPOTENCY_KEY_MISSING). */
  readonly idempotencyKey?: string;
  readonly traceparent?: string;
  readonly traceId?: string;
  /** Signing time in unix ms; default now (set it to test STALE_TIMESTAMP). */
  readonly timestamp?: number;
  /**
   * Extra metadata, set after signing (so it can overwrite the signature headers or x-idempotency-key to test
   * refusals).
   */
  readonly metadata?: Readonly<Record<string, string>>;
  /** Default 30 s. */
  readonly deadlineMs?: number;
}

/** Metadata as plain text entries: the initial (header) metadata merged with the trailing one. */
export type GrpcMetadataRecord = Readonly<Record<string, string>>;

export type GrpcCallResult<T> =
  | {
      readonly ok: true;
      readonly response: T;
      readonly metadata: GrpcMetadataRecord;
      /** `idempotent-replayed: true`: the stored answer of an earlier call with the same key. */
      readonly replayed: boolean;
    }
  | {
      readonly ok: false;
      /** The gRPC status code (`@grpc/grpc-js` `status`). */
      readonly code: number;
      /** `pitboss-error-code`, e.g. INSUFFICIENT_FUNDS; undefined when the gateway did not answer one. */
      readonly errorCode: string | undefined;
      readonly retryable: boolean | undefined;
      /** The status message. */
      readonly details: string;
      /** `pitboss-error-details`, parsed. */
      readonly errorDetails: Readonly<Record<string, unknown>>;
      readonly retryAfterSeconds: number | undefined;
      readonly metadata: GrpcMetadataRecord;
      readonly replayed: boolean;
    };

export interface GrpcGatewayClient {
  openSession(
    request: GrpcOpenSessionRequest,
    options: GrpcCallOptions,
  ): Promise<GrpcCallResult<GrpcOpenSessionResponse>>;
  authorizeBet(
    request: GrpcAuthorizeBetRequest,
    options: GrpcCallOptions,
  ): Promise<GrpcCallResult<GrpcAuthorizeBetResponse>>;
  settleBet(
    request: GrpcSettleBetRequest,
    options: GrpcCallOptions,
  ): Promise<GrpcCallResult<GrpcBetStatusResponse>>;
  rollbackBet(
    request: GrpcRollbackBetRequest,
    options: GrpcCallOptions,
  ): Promise<GrpcCallResult<GrpcBetStatusResponse>>;
  getBet(
    request: { readonly bet_id: string },
    options?: GrpcCallOptions,
  ): Promise<GrpcCallResult<GrpcBetView>>;
  getRound(
    request: { readonly round_id: string },
    options?: GrpcCallOptions,
  ): Promise<GrpcCallResult<GrpcRoundView>>;
  /** Any bytes as the request of `method` (`GetBet`…), signed as they are: to test what a corrupt message gets. */
  sendBytes(method: string, bytes: Buffer, options?: GrpcCallOptions): Promise<GrpcCallResult<unknown>>;
  close(): void;
}

export interface GrpcGatewayClientOptions {
  /** `host:port` of the gateway's gRPC listener (ServiceProcess.grpcAddress). */
  readonly address: string;
  readonly tenantId: string;
  readonly secret: string;
}

/**
 * A signing client of bet-gateway's gRPC API, for tests, the demo and the bench. Each request is serialized once,
 * signed over those bytes and sent as they are (an identity serializer), so the signature covers exactly what goes
 * on the wire, as an aggregator must do it.
 */
export function createGrpcGatewayClient(options: GrpcGatewayClientOptions): GrpcGatewayClient {
  const methods = loadMethods();
  const client = new Client(options.address, credentials.createInsecure());

  const methodNamed = (name: string) => {
    const method = methods[name];
    if (method === undefined) throw new Error(`${SERVICE} has no method ${name}`);
    return method;
  };
  const call = <T>(name: string, request: object, callOptions: GrpcCallOptions = {}) =>
    callWithBytes<T>(name, methodNamed(name).requestSerialize(request), callOptions);
  const callWithBytes = <T>(
    name: string,
    bytes: Buffer,
    callOptions: GrpcCallOptions = {},
  ): Promise<GrpcCallResult<T>> => {
    const method = methodNamed(name);
    const metadata = signedMetadata(options, method.path, bytes, callOptions);
    const deadline = new Date(Date.now() + (callOptions.deadlineMs ?? 30_000));
    return new Promise((resolve) => {
      let initial: GrpcMetadataRecord = {};
      const unaryCall = client.makeUnaryRequest<Buffer, T>(
        method.path,
        (buffer) => buffer,
        (buffer) => method.responseDeserialize(buffer) as T,
        bytes,
        metadata,
        { deadline },
        (error, response) => {
          if (error) resolve(failureOf(error, initial));
          else
            resolve({ ok: true, response: response as T, metadata: initial, replayed: isReplayed(initial) });
        },
      );
      unaryCall.on('metadata', (received: Metadata) => {
        initial = recordOf(received);
      });
    });
  };

  return {
    openSession: (request, callOptions) => call('OpenSession', request, callOptions),
    authorizeBet: (request, callOptions) => call('AuthorizeBet', request, callOptions),
    settleBet: (request, callOptions) => call('SettleBet', request, callOptions),
    rollbackBet: (request, callOptions) => call('RollbackBet', request, callOptions),
    getBet: (request, callOptions) => call('GetBet', request, callOptions),
    getRound: (request, callOptions) => call('GetRound', request, callOptions),
    sendBytes: (name, bytes, callOptions) => callWithBytes(name, bytes, callOptions),
    close: () => client.close(),
  };
}

function loadMethods(): Readonly<Record<string, MethodDefinition<object, unknown>>> {
  // As the gateway decodes, except oneofs: false, so responses carry no `_win`-style virtual oneof fields.
  const definitions = loadSync(BET_GATEWAY_PROTO_PATH, {
    keepCase: true,
    longs: Number,
    enums: String,
    defaults: true,
    oneofs: false,
  });
  const service = definitions[SERVICE];
  if (service === undefined) throw new Error(`${BET_GATEWAY_PROTO_PATH} defines no ${SERVICE}`);
  return service as unknown as Record<string, MethodDefinition<object, unknown>>;
}

function signedMetadata(
  { tenantId, secret }: GrpcGatewayClientOptions,
  path: string,
  body: Buffer,
  options: GrpcCallOptions,
): Metadata {
  const timestamp = options.timestamp ?? Date.now();
  const { idempotencyKey } = options;
  const entries: Record<string, string> = {
    // Also sets x-idempotency-key: the key is signed (see libs/security's signing string).
    ...signedHeaders({
      tenantId,
      secret,
      timestamp,
      method: GRPC_SIGNING_METHOD,
      path,
      idempotencyKey,
      body,
    }),
    ...(options.traceparent === undefined ? {} : { traceparent: options.traceparent }),
    ...(options.traceId === undefined ? {} : { 'x-trace-id': options.traceId }),
    ...options.metadata,
  };
  const metadata = new Metadata();
  for (const [key, value] of Object.entries(entries)) metadata.set(key, value);
  return metadata;
}

function failureOf<T>(error: ServiceError, initial: GrpcMetadataRecord): GrpcCallResult<T> {
  const metadata = { ...initial, ...recordOf(error.metadata) };
  const retryable = metadata['pitboss-retryable'];
  const retryAfter = metadata['retry-after'];
  return {
    ok: false,
    code: error.code,
    errorCode: metadata['pitboss-error-code'],
    retryable: retryable === undefined ? undefined : retryable === 'true',
    details: error.details,
    errorDetails: parseDetails(metadata['pitboss-error-details']),
    retryAfterSeconds: retryAfter === undefined ? undefined : Number(retryAfter),
    metadata,
    replayed: isReplayed(metadata),
  };
}

function recordOf(metadata: Metadata | undefined): Record<string, string> {
  const record: Record<string, string> = {};
  for (const [key, value] of Object.entries(metadata?.getMap() ?? {})) {
    if (typeof value === 'string') record[key] = value;
  }
  return record;
}

function isReplayed(metadata: GrpcMetadataRecord): boolean {
  return metadata['idempotent-replayed'] === 'true';
}

function parseDetails(json: string | undefined): Readonly<Record<string, unknown>> {
  if (json === undefined) return {};
  try {
    const parsed = JSON.parse(json) as unknown;
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  } catch {
    return { unparsed: json };
  }
}
