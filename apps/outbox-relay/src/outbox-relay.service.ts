import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnModuleInit,
} from '@nestjs/common';
import { type Kafka } from 'kafkajs';
import { Pool } from 'pg';
import { type Registry } from 'prom-client';

import { OutboxRelayWorker } from '@pitboss/event-store';
import { EventCodec, EventPublisher, KAFKA, registerTopicSchemas, TopicNaming } from '@pitboss/messaging';
import { METRICS_REGISTRY, postgresCheck, ReadinessRegistry } from '@pitboss/observability';

import { relayConfig } from './relay-config';
import { RelayMetricsObserver } from './relay-metrics.observer';

/** Runs one relay worker per configured source; several replicas share the work through the sources' locks. */
@Injectable()
export class OutboxRelayService implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly config = relayConfig();
  private readonly publisher: EventPublisher;
  private readonly workers: OutboxRelayWorker[];
  private readonly probePool: Pool;

  constructor(
    @Inject(KAFKA) kafka: Kafka,
    codec: EventCodec,
    private readonly naming: TopicNaming,
    private readonly registry: SchemaRegistry,
    private readonly readiness: ReadinessRegistry,
    @Inject(METRICS_REGISTRY) metrics: Registry,
  ) {
    this.publisher = new EventPublisher(kafka, codec, naming);
    const observer = new RelayMetricsObserver(metrics);
    this.workers = this.config.sources.map(
      (source) =>
        new OutboxRelayWorker(
          source,
          (batch) => this.publisher.publish(batch),
          this.config.options,
          observer,
        ),
    );
    this.probePool = new Pool({ connectionString: this.config.sources[0]?.databaseUrl, max: 1 });
  }

  onModuleInit(): void {
    this.readiness.register('postgres', postgresCheck(this.probePool));
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.registerSchemasOnStart) await registerTopicSchemas(this.registry, this.naming);
    await this.publisher.connect();
    this.workers.forEach((worker) => worker.start());
  }

  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.stop()));
    await this.publisher.disconnect();
    await this.probePool.end();
  }
}
