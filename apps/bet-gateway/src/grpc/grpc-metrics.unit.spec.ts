import { type handleUnaryCall, Metadata, status, type ServerUnaryCall } from '@grpc/grpc-js';
import { Registry } from 'prom-client';

import { ApiMetrics } from '../metrics/api-metrics';
import { ERROR_CODE_TRAILER } from './grpc-error.mapper';
import { withGrpcMetrics } from './grpc-metrics';

describe(withGrpcMetrics.name, () => {
  const call = {} as ServerUnaryCall<unknown, unknown>;

  async function run(answer: Parameters<Parameters<handleUnaryCall<unknown, unknown>>[1]>) {
    const registry = new Registry();
    const handler: handleUnaryCall<unknown, unknown> = (_call, callback) => callback(...answer);
    const measured = withGrpcMetrics({ AuthorizeBet: handler }, new ApiMetrics(registry));
    const passed = await new Promise<unknown[]>((resolve) =>
      (measured['AuthorizeBet'] as handleUnaryCall<unknown, unknown>)(call, (...args) => resolve(args)),
    );
    const metrics = await registry.getMetricsAsJSON();
    const valuesOf = (name: string) => metrics.find((metric) => metric.name === name)?.values ?? [];
    return { passed, valuesOf };
  }

  it('times a success under its method and OK, and counts no error', async () => {
    const { passed, valuesOf } = await run([null, { status: 'authorized' }]);

    expect(passed).toEqual([null, { status: 'authorized' }, undefined, undefined]);
    expect(valuesOf('grpc_server_request_duration_seconds')).toContainEqual(
      expect.objectContaining({
        metricName: 'grpc_server_request_duration_seconds_count',
        labels: { method: 'AuthorizeBet', code: 'OK' },
        value: 1,
      }),
    );
    expect(valuesOf('api_errors_total')).toEqual([]);
  });

  it("times a refusal under its status name and counts it by the trailer's catalogue code and class", async () => {
    const metadata = new Metadata();
    metadata.set(ERROR_CODE_TRAILER, 'INSUFFICIENT_FUNDS');
    const error = { code: status.FAILED_PRECONDITION, details: 'no money', metadata };

    const { passed, valuesOf } = await run([error]);

    expect(passed[0]).toBe(error);
    expect(valuesOf('grpc_server_request_duration_seconds')).toContainEqual(
      expect.objectContaining({ labels: { method: 'AuthorizeBet', code: 'FAILED_PRECONDITION' }, value: 1 }),
    );
    expect(valuesOf('api_errors_total')).toEqual([
      expect.objectContaining({
        labels: { transport: 'grpc', route: 'AuthorizeBet', code: 'INSUFFICIENT_FUNDS', class: 'business' },
        value: 1,
      }),
    ]);
  });

  it("counts an error without the gateway's trailer as UNKNOWN, the server's", async () => {
    const { valuesOf } = await run([{ code: status.INTERNAL, details: 'boom' }]);

    expect(valuesOf('api_errors_total')).toEqual([
      expect.objectContaining({
        labels: { transport: 'grpc', route: 'AuthorizeBet', code: 'UNKNOWN', class: 'server' },
      }),
    ]);
  });
});
