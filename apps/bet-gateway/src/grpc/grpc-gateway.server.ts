import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { Server, ServerCredentials } from '@grpc/grpc-js';
import { connect } from 'node:net';

import { ReadinessRegistry, serviceHost } from '@pitboss/observability';
import { signatureMaxSkewMsFromEnv, TenantSecrets } from '@pitboss/security';

import { BetCommands } from '../api/bet-commands';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway-config';
import { ApiMetrics } from '../metrics/api-metrics';
import { betGatewayHandlers } from './grpc-gateway.handlers';
import { withGrpcMetrics } from './grpc-metrics';
import { betGatewayServiceDefinition } from './grpc-service-definition';

/** How long in-flight calls may finish on shutdown before they are cancelled. */
const SHUTDOWN_GRACE_MS = 10_000;

/**
 * The aggregator API over gRPC (libs/contracts/src/proto/bet-gateway.proto) on HOST:GRPC_PORT, beside HTTP /v1.
 * A plain @grpc/grpc-js server rather than a Nest microservice: signatures are verified over the received bytes,
 * which Nest's transport decodes before any guard could see them.
 */
@Injectable()
export class GrpcGatewayServer
  implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown
{
  private readonly logger = new Logger(GrpcGatewayServer.name);
  private server: Server | undefined;

  constructor(
    private readonly commands: BetCommands,
    @Inject(TenantSecrets) private readonly tenants: TenantSecrets,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    @Inject(ReadinessRegistry) private readonly readiness: ReadinessRegistry,
    private readonly metrics: ApiMetrics,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // MAX_BODY_BYTES is enforced by the handlers, which can answer PAYLOAD_TOO_LARGE with its trailers; grpc-js's
    // own limit (4 MiB, RESOURCE_EXHAUSTED without them) only stops what is far beyond any valid request.
    const server = new Server();
    const handlers = betGatewayHandlers({
      commands: this.commands,
      tenants: this.tenants,
      maxSkewMs: signatureMaxSkewMsFromEnv(),
      maxMessageBytes: this.config.maxBodyBytes,
      now: Date.now,
      onUnexpectedError: (method, error) =>
        this.logger.error(
          `${method}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
        ),
    });
    server.addService(betGatewayServiceDefinition(), withGrpcMetrics(handlers, this.metrics));
    const host = serviceHost();
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync(
        `${hostPart(host)}:${this.config.grpcPort}`,
        ServerCredentials.createInsecure(),
        (error, bound) => (error ? reject(error) : resolve(bound)),
      ),
    );
    this.server = server;
    this.readiness.register('grpc', () => acceptsConnections(host, port));
    this.logger.log(`grpc listening on ${host}:${port}`);
  }

  /**
   * Drained before the modules' own shutdown hooks close the database pool and Redis that in-flight calls still
   * use (Nest runs every beforeApplicationShutdown before any onApplicationShutdown), as HTTP is.
   */
  async beforeApplicationShutdown(): Promise<void> {
    const server = this.server;
    if (server === undefined) return;
    this.server = undefined;
    await new Promise<void>((resolve) => {
      const deadline = setTimeout(() => {
        this.logger.warn(`grpc calls still running after ${SHUTDOWN_GRACE_MS} ms: cancelling them`);
        server.forceShutdown();
        resolve();
      }, SHUTDOWN_GRACE_MS);
      server.tryShutdown(() => {
        clearTimeout(deadline);
        this.logger.log('grpc stopped');
        resolve();
      });
    });
  }

  /** For apps closed without the before-hook (it is a no-op when the server is already down). */
  async onApplicationShutdown(): Promise<void> {
    this.server?.forceShutdown();
    this.server = undefined;
  }
}

/** Ready means the listener takes a TCP connection, as a load balancer's first step would. */
function acceptsConnections(host: string, port: number): Promise<void> {
  const target = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return new Promise((resolve, reject) => {
    const socket = connect({ host: target, port }, () => {
      socket.destroy();
      resolve();
    });
    socket.once('error', (error) =>
      reject(new Error(`grpc listener on ${target}:${port}: ${error.message}`)),
    );
  });
}

/** An IPv6 literal needs brackets in a gRPC target (`[::]:50051`). */
function hostPart(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}
