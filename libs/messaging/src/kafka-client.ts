import { Kafka, logLevel, Partitioners, type LogEntry, type Producer } from 'kafkajs';

import { type InfrastructureConfig } from '@pitboss/platform-config';

/** One Kafka client per process; kafkajs logs go out as one JSON line each, warnings and above. */
export function createKafka(
  config: Pick<InfrastructureConfig, 'kafkaBrokers' | 'kafkaClientId'>,
  clientSuffix = '',
): Kafka {
  return new Kafka({
    clientId: `${config.kafkaClientId}${clientSuffix}`,
    brokers: config.kafkaBrokers,
    logLevel: logLevel.WARN,
    logCreator: () => (entry: LogEntry) => {
      const { message, ...extra } = entry.log;
      process.stderr.write(
        `${JSON.stringify({ level: logLevel[entry.level], context: `kafkajs:${entry.namespace}`, message, ...extra })}\n`,
      );
    },
    retry: { initialRetryTime: 200, retries: 8 },
  });
}

/**
 * The idempotent producer every Pitboss producer uses: one request in flight keeps a partition in order, and
 * Java's murmur2 partitioner puts a key on the same partition whichever client produced it.
 */
export function createIdempotentProducer(kafka: Kafka): Producer {
  return kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
}
