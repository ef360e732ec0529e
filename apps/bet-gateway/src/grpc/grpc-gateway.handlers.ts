import {
  type handleUnaryCall,
  Metadata,
  type sendUnaryData,
  type ServerUnaryCall,
  type ServiceError,
  type UntypedServiceImplementation,
} from '@grpc/grpc-js';

import { PitbossError } from '@pitboss/contracts';
import { type TenantSecretLookup, verifyGrpcRequest } from '@pitboss/security';

import { type AggregatorCall, type BetCommands } from '../api/bet-commands';
import { type CommandAnswer } from '../bets/idempotent-commands';
import { traceparentOf } from '../http/aggregator-call';
import { type GrpcErrorReply, grpcErrorOf, grpcErrorOfAnswer, REPLAYED_METADATA } from './grpc-error.mapper';
import {
  authorizeBetBodyOf,
  type DecodedMessage,
  openSessionBodyOf,
  rollbackBetBodyOf,
  settleBetBodyOf,
} from './grpc-request.mapper';
import {
  authorizeBetResponseOf,
  betStatusResponseOf,
  betViewMessageOf,
  openSessionResponseOf,
  roundViewMessageOf,
} from './grpc-response.mapper';
import { BET_GATEWAY_SERVICE, type BetGatewayMethod, type SignedRequest } from './grpc-service-definition';

export interface GrpcHandlerDependencies {
  readonly commands: BetCommands;
  readonly tenants: TenantSecretLookup;
  readonly maxSkewMs: number;
  /** Largest request message accepted (MAX_BODY_BYTES, as for HTTP bodies); larger ones get PAYLOAD_TOO_LARGE. */
  readonly maxMessageBytes: number;
  readonly now: () => number;
  /** Called with errors that are not PitbossErrors (bugs, outages) before they are answered INTERNAL_ERROR. */
  readonly onUnexpectedError: (method: BetGatewayMethod, error: unknown) => void;
}

/** A verified call: the tenant proven by the signature, the call's metadata and its decoded message. */
interface VerifiedCall {
  readonly tenantId: string;
  readonly metadata: Metadata;
  readonly message: DecodedMessage;
}

/** What a method produced: a command answer (maybe a refusal, maybe a replay) or a query's message. */
type Outcome =
  | {
      readonly kind: 'answer';
      readonly answer: CommandAnswer;
      readonly toMessage: (body: unknown) => unknown;
    }
  | { readonly kind: 'message'; readonly message: unknown };

/**
 * The BetGateway service over BetCommands, exactly as HTTP /v1 uses them: same validation, idempotency scopes,
 * rate limits and error codes. Order per call: size, signature (over the received bytes), decoding, then the
 * command, as HTTP checks the body limit, then the signature, then the body.
 */
export function betGatewayHandlers(deps: GrpcHandlerDependencies): UntypedServiceImplementation {
  const { commands } = deps;
  const command = (
    run: (call: AggregatorCall) => Promise<CommandAnswer>,
    toBody: (message: DecodedMessage) => Record<string, unknown>,
    toMessage: (body: unknown) => unknown,
  ) => {
    return async (call: VerifiedCall): Promise<Outcome> => ({
      kind: 'answer',
      answer: await run(aggregatorCallOf(call, toBody(call.message))),
      toMessage,
    });
  };
  const methods: Record<BetGatewayMethod, (call: VerifiedCall) => Promise<Outcome>> = {
    OpenSession: command((c) => commands.openSession(c), openSessionBodyOf, openSessionResponseOf),
    AuthorizeBet: command((c) => commands.authorize(c), authorizeBetBodyOf, authorizeBetResponseOf),
    SettleBet: command((c) => commands.settle(c), settleBetBodyOf, betStatusResponseOf),
    RollbackBet: command((c) => commands.rollback(c), rollbackBetBodyOf, betStatusResponseOf),
    GetBet: async ({ tenantId, message }) => ({
      kind: 'message',
      message: betViewMessageOf(await commands.bet(tenantId, message['bet_id'])),
    }),
    GetRound: async ({ tenantId, message }) => ({
      kind: 'message',
      message: roundViewMessageOf(await commands.round(tenantId, message['round_id'])),
    }),
  };
  return Object.fromEntries(
    Object.entries(methods).map(([name, run]) => [name, unary(name as BetGatewayMethod, run, deps)]),
  );
}

function unary(
  method: BetGatewayMethod,
  run: (call: VerifiedCall) => Promise<Outcome>,
  deps: GrpcHandlerDependencies,
): handleUnaryCall<SignedRequest, unknown> {
  const path = `/${BET_GATEWAY_SERVICE}/${method}`;
  return (call: ServerUnaryCall<SignedRequest, unknown>, callback: sendUnaryData<unknown>) => {
    void (async () => {
      try {
        const { raw, message, decodeError } = call.request;
        if (raw.length > deps.maxMessageBytes) {
          throw new PitbossError(
            'PAYLOAD_TOO_LARGE',
            `the request message is ${raw.length} bytes, more than the limit of ${deps.maxMessageBytes}`,
          );
        }
        const tenantId = verifyGrpcRequest({
          tenants: deps.tenants,
          metadata: call.metadata,
          path,
          body: raw,
          now: deps.now(),
          maxSkewMs: deps.maxSkewMs,
        });
        if (message === undefined) {
          throw new PitbossError(
            'INVALID_REQUEST',
            `the request is not a valid ${method} message: ${decodeError}`,
          );
        }
        const outcome = await run({ tenantId, metadata: call.metadata, message });
        if (outcome.kind === 'message') return callback(null, outcome.message);
        const { answer, toMessage } = outcome;
        // Initial metadata, like HTTP's Idempotent-Replayed header: present on replayed successes and refusals.
        if (answer.replayed) call.sendMetadata(metadataOf({ [REPLAYED_METADATA]: 'true' }));
        if (answer.status >= 400) return callback(serviceErrorOf(grpcErrorOfAnswer(answer)));
        callback(null, toMessage(answer.body));
      } catch (error) {
        const { reply, unexpected } = grpcErrorOf(error);
        if (unexpected) deps.onUnexpectedError(method, error);
        callback(serviceErrorOf(reply));
      }
    })();
  };
}

function aggregatorCallOf(
  { tenantId, metadata }: VerifiedCall,
  body: Record<string, unknown>,
): AggregatorCall {
  return {
    tenantId,
    idempotencyKey: single(metadata, 'x-idempotency-key'),
    traceparent: traceparentOf(single(metadata, 'traceparent'), single(metadata, 'x-trace-id')),
    body,
  };
}

// A repeated or binary entry counts as absent, as in verifyGrpcRequest.
function single(metadata: Metadata, key: string): string | undefined {
  const values = metadata.get(key);
  const [value] = values;
  return values.length === 1 && typeof value === 'string' ? value : undefined;
}

function metadataOf(entries: Readonly<Record<string, string>>): Metadata {
  const metadata = new Metadata();
  for (const [key, value] of Object.entries(entries)) metadata.set(key, value);
  return metadata;
}

function serviceErrorOf(reply: GrpcErrorReply): Partial<ServiceError> {
  return { code: reply.code, details: reply.details, metadata: metadataOf(reply.trailers) };
}
