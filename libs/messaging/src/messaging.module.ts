import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import {
  type DynamicModule,
  Inject,
  Module,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { type Admin, type Kafka } from 'kafkajs';

import { kafkaCheck, ReadinessRegistry, schemaRegistryCheck } from '@pitboss/observability';
import { infrastructureConfig } from '@pitboss/platform-config';

import { EventCodec } from './event-codec';
import { createKafka } from './kafka-client';
import { KAFKA, KAFKA_ADMIN } from './messaging.tokens';
import { createSchemaRegistry } from './schema-registry-client';
import { TopicNaming } from './topic-naming';

/** Kafka, the schema registry and the Avro codec, shared by everything in a service that produces or consumes. */
@Module({})
export class MessagingModule implements OnModuleInit, OnApplicationShutdown {
  static forRoot(options: { readonly serviceName: string }): DynamicModule {
    const config = infrastructureConfig();
    return {
      module: MessagingModule,
      global: true,
      providers: [
        { provide: KAFKA, useFactory: () => createKafka(config, `-${options.serviceName}`) },
        {
          provide: KAFKA_ADMIN,
          inject: [KAFKA],
          // Connected by its readiness check, so a service whose Kafka is down still starts and reports not ready.
          useFactory: (kafka: Kafka) => kafka.admin(),
        },
        { provide: TopicNaming, useValue: new TopicNaming(config.topicPrefix) },
        { provide: SchemaRegistry, useFactory: () => createSchemaRegistry(config.schemaRegistryUrl) },
        {
          provide: EventCodec,
          inject: [SchemaRegistry, TopicNaming],
          useFactory: (registry: SchemaRegistry, naming: TopicNaming) => new EventCodec(registry, naming),
        },
      ],
      exports: [KAFKA, KAFKA_ADMIN, TopicNaming, SchemaRegistry, EventCodec],
    };
  }

  constructor(
    @Inject(KAFKA_ADMIN) private readonly admin: Admin,
    private readonly readiness: ReadinessRegistry,
  ) {}

  onModuleInit(): void {
    const admin = this.admin;
    this.readiness.register(
      'kafka',
      kafkaCheck({ describeCluster: () => admin.connect().then(() => admin.describeCluster()) }),
    );
    this.readiness.register('schema-registry', schemaRegistryCheck(infrastructureConfig().schemaRegistryUrl));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.admin.disconnect();
  }
}
