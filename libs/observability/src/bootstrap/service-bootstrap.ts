import { type Server } from 'node:http';

import { type DynamicModule, type INestApplication, Logger, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { type CustomTransportStrategy } from '@nestjs/microservices';

import { ConfigError, envInt, envString } from '@pitboss/platform-config';

import { ServiceJsonLogger } from './json-logger';

type Env = Readonly<Record<string, string | undefined>>;

export interface ServiceBootstrapOptions {
  readonly serviceName: string;
  /** Port used when `PORT` is not set; each service has its own so they can all run on one machine. */
  readonly defaultPort: number;
  /** Keep each request's raw body (`request.rawBody`), e.g. to verify signatures over the bytes sent. */
  readonly rawBody?: boolean;
  /** Nest's JSON and urlencoded body parsers (default true); false when `configure` registers its own. */
  readonly bodyParser?: boolean;
  /** Last set-up before the app listens: body limits, global filters, API docs. */
  readonly configure?: (app: INestApplication) => void | Promise<void>;
  /**
   * Reads and cross-checks the service's settings before anything starts. A `ConfigError` it throws stops the
   * process with exit code 1 and one line on stderr: a contradiction must stop the rollout, not a request later.
   */
  readonly checkSettings?: () => void;
  /**
   * The service's `@nestjs/microservices` transports (its Kafka consumer: libs/messaging `kafkaEventTransport`),
   * connected to the app and started once the app is initialised (migrations run, every module ready), before
   * the HTTP listener; the app's shutdown closes them after its `beforeApplicationShutdown` hooks and before the
   * `onApplicationShutdown` ones (which end the database pool).
   */
  readonly transports?: (app: INestApplication) => readonly CustomTransportStrategy[];
}

/** The HTTP port a service listens on: `PORT`, else its default. */
export function servicePort(defaultPort: number, env: Env = process.env): number {
  return envInt('PORT', defaultPort, env);
}

/** The interface a service binds to: `HOST`, else every interface (what a container needs). */
export function serviceHost(env: Env = process.env): string {
  return envString('HOST', '0.0.0.0', env);
}

/**
 * Creates, starts and returns a service's Nest app: JSON logs, shutdown hooks on SIGTERM/SIGINT (so consumers and
 * relays finish in-flight work in their own hooks before the process exits) and an HTTP listener on HOST:PORT.
 */
export async function bootstrapService(
  appModule: Type<unknown> | DynamicModule,
  {
    serviceName,
    defaultPort,
    rawBody = false,
    bodyParser = true,
    configure,
    transports,
  }: ServiceBootstrapOptions,
): Promise<INestApplication> {
  const app = await NestFactory.create(appModule, {
    logger: new ServiceJsonLogger(serviceName),
    rawBody,
    bodyParser,
    // Requests in flight finish; idle keep-alive connections are closed at shutdown instead of holding the
    // process for the 65 s keep-alive below (longer than Kubernetes' 30 s grace period).
    forceCloseConnections: true,
  });
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);

  const server = app.getHttpServer() as Server;
  // Behind an AWS load balancer (60 s idle timeout) Node's 5 s default closes connections the balancer still
  // reuses, which clients see as sporadic 502s; keeping them open longer than the balancer avoids it.
  server.keepAliveTimeout = envInt('HTTP_KEEP_ALIVE_TIMEOUT_MS', 65_000);
  server.headersTimeout = server.keepAliveTimeout + 1_000;

  await configure?.(app);
  const strategies = transports?.(app) ?? [];
  if (strategies.length > 0) {
    // Not `inheritAppConfig`: the app's global HTTP filters must not handle a consumer's errors.
    for (const strategy of strategies) app.connectMicroservice({ strategy });
    await app.init();
    await app.startAllMicroservices();
  }
  await app.listen(servicePort(defaultPort), serviceHost());
  new Logger('Bootstrap').log(`${serviceName} listening on ${await listeningUrl(app)}`);
  return app;
}

/** `http://host:port` the app actually listens on (the real port when it was started on port 0). */
export async function listeningUrl(app: INestApplication): Promise<string> {
  const address = (app.getHttpServer() as Server).address();
  if (address === null || typeof address === 'string') return app.getUrl();
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}`;
}

/** A service's `main`: starts it, and on a start-up failure logs one line and exits 1 instead of crashing raw. */
export function runService(appModule: Type<unknown> | DynamicModule, options: ServiceBootstrapOptions): void {
  try {
    options.checkSettings?.();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${options.serviceName}: invalid configuration: ${error.message}\n`);
    process.exit(1);
  }
  bootstrapService(appModule, options).catch((error: unknown) => {
    new Logger('Bootstrap').fatal(
      `${options.serviceName} failed to start: ${error instanceof Error ? error.message : String(error)}`,
    );
    process.exit(1);
  });
}
