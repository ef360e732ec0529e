import {
  type handleUnaryCall,
  type sendUnaryData,
  status,
  type UntypedServiceImplementation,
} from '@grpc/grpc-js';

import { type ApiMetrics } from '../metrics/api-metrics';
import { UNKNOWN_ERROR_CODE } from '../metrics/api-error-class';
import { ERROR_CODE_TRAILER } from './grpc-error.mapper';

/**
 * Every unary method of `implementation` timed into `grpc_server_request_duration_seconds{method,code}` (the gRPC
 * status code's name) and, when it answers an error, counted in `api_errors_total` by the catalogue code its
 * `pitboss-error-code` trailer carries. Measured at the callback, so refusals, replays and bugs all count.
 */
export function withGrpcMetrics(
  implementation: UntypedServiceImplementation,
  metrics: ApiMetrics,
): UntypedServiceImplementation {
  return Object.fromEntries(
    Object.entries(implementation).map(([method, handler]) => [
      method,
      measured(method, handler as handleUnaryCall<unknown, unknown>, metrics),
    ]),
  );
}

function measured(
  method: string,
  handler: handleUnaryCall<unknown, unknown>,
  metrics: ApiMetrics,
): handleUnaryCall<unknown, unknown> {
  return (call, callback) => {
    const started = process.hrtime.bigint();
    const answer: sendUnaryData<unknown> = (error, value, trailer, flags) => {
      const code = error?.code ?? status.OK;
      metrics.grpcCall(method, statusName(code), Number(process.hrtime.bigint() - started) / 1e9);
      if (code !== status.OK) {
        const [errorCode] = error?.metadata?.get(ERROR_CODE_TRAILER) ?? [];
        // An error without the trailer did not come from the gateway's mapping: counted as the server's.
        metrics.apiError('grpc', method, typeof errorCode === 'string' ? errorCode : UNKNOWN_ERROR_CODE, 500);
      }
      callback(error, value, trailer, flags);
    };
    handler(call, answer);
  };
}

function statusName(code: number): string {
  // eslint-disable-next-line security/detect-object-injection -- a numeric key of grpc-js' Status enum
  const name = (status as unknown as Record<number, string | undefined>)[code];
  return name ?? String(code);
}
