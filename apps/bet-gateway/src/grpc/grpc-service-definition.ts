import { type MethodDefinition, type ServiceDefinition } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { Root, type Type } from 'protobufjs';

import { BET_GATEWAY_PROTO_PATH } from '@pitboss/contracts';

import { type DecodedMessage } from './grpc-request.mapper';
import { assertWellFormed } from './strict-wire-format';

export const BET_GATEWAY_SERVICE = 'pitboss.gateway.v1.BetGateway';

export type BetGatewayMethod =
  'OpenSession' | 'AuthorizeBet' | 'SettleBet' | 'RollbackBet' | 'GetBet' | 'GetRound';

/**
 * A request as handlers receive it: the bytes exactly as they came off the wire (the signature covers those, never
 * a re-encoding) and the decoded message, or why it could not be decoded (answered only after the signature
 * check, so an unsigned caller learns nothing about the contract).
 */
export interface SignedRequest {
  readonly raw: Buffer;
  readonly message: DecodedMessage | undefined;
  readonly decodeError?: string;
}

/** How every Pitboss gRPC party decodes the proto: snake_case fields, int64 as Number, proto3 defaults filled. */
export const PROTO_LOADER_OPTIONS = {
  keepCase: true,
  longs: Number,
  enums: String,
  defaults: true,
  oneofs: true,
} as const;

/** The BetGateway service with each method's request deserializer wrapped to keep the raw bytes. */
export function betGatewayServiceDefinition(): ServiceDefinition {
  const definitions = loadSync(BET_GATEWAY_PROTO_PATH, PROTO_LOADER_OPTIONS);
  // eslint-disable-next-line security/detect-object-injection -- the service name is a constant
  const service = definitions[BET_GATEWAY_SERVICE] as ServiceDefinition | undefined;
  if (service === undefined) throw new Error(`${BET_GATEWAY_PROTO_PATH} defines no ${BET_GATEWAY_SERVICE}`);
  const messages = new Root()
    .loadSync(BET_GATEWAY_PROTO_PATH, { keepCase: true })
    .lookupService(BET_GATEWAY_SERVICE);
  return Object.fromEntries(
    Object.entries(service).map(([name, method]) => {
      // eslint-disable-next-line security/detect-object-injection -- name is a method of the service's own .proto
      const requestType = messages.lookupType(messages.methods[name]?.requestType ?? name);
      return [name, keepingRawBytes(method, requestType)];
    }),
  ) as ServiceDefinition;
}

function keepingRawBytes(
  method: MethodDefinition<unknown, unknown>,
  requestType: Type,
): MethodDefinition<SignedRequest, unknown> {
  return {
    ...method,
    requestDeserialize: (raw: Buffer): SignedRequest => {
      try {
        assertWellFormed(requestType, raw);
        return { raw, message: method.requestDeserialize(raw) as DecodedMessage };
      } catch (error) {
        return {
          raw,
          message: undefined,
          decodeError: error instanceof Error ? error.message : String(error),
        };
      }
    },
    requestSerialize: () => {
      throw new Error('the server never serializes requests');
    },
  };
}
