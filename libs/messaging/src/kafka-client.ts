import { Kafka, logLevel, type LogEntry } from 'kafkajs';

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
