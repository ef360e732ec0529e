import { Kafka, logLevel, Partitioners, type LogEntry, type Producer } from 'kafkajs';

import { type InfrastructureConfig } from '@pitboss/platform-config';

/**
 * kafkajs warns at every start of an idempotent producer with bounded retries. The relay's retries are bounded on
 * purpose: a batch that fails stays in the outbox and is sent again, and consumers' inboxes absorb the duplicate,
 * so the warning names a trade-off already made, not a fault, and is not printed.
 */
const EXPECTED_WARNINGS: ReadonlySet<string> = new Set([
  'Limiting retries for the idempotent producer may invalidate EoS guarantees',
]);

/** A kafkajs entry as the JSON line Pitboss prints, or undefined for a warning that says nothing is wrong. */
export function kafkaLogLine(entry: LogEntry): string | undefined {
  const { message, ...extra } = entry.log;
  if (EXPECTED_WARNINGS.has(message)) return undefined;
  return JSON.stringify({
    // `label` is the level's name: kafkajs's `logLevel` has no reverse mapping (`logLevel[2]` is undefined).
    level: entry.label,
    context: `kafkajs:${entry.namespace}`,
    message,
    ...extra,
  });
}

/** kafkajs entries as one JSON line each on stderr. */
const jsonLines = (entry: LogEntry): void => {
  const line = kafkaLogLine(entry);
  if (line !== undefined) process.stderr.write(`${line}\n`);
};

/**
 * One Kafka client per process; kafkajs logs warnings and above, as JSON lines unless `log` takes them (tests
 * read what a client logs).
 */
export function createKafka(
  config: Pick<InfrastructureConfig, 'kafkaBrokers' | 'kafkaClientId'>,
  clientSuffix = '',
  log: (entry: LogEntry) => void = jsonLines,
): Kafka {
  return new Kafka({
    clientId: `${config.kafkaClientId}${clientSuffix}`,
    brokers: config.kafkaBrokers,
    logLevel: logLevel.WARN,
    logCreator: () => log,
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

/**
 * The producer that parks messages on `.dlq` topics: acks from every in-sync replica, one request in flight,
 * the client's bounded retries, so a failed write surfaces and the consumer does not commit the offset. Not
 * idempotent: a dead letter is written at least once whatever the producer (the original is redelivered, and
 * parked again, when the consumer dies before committing), so broker-side deduplication buys nothing here, and
 * kafkajs warns at start about every idempotent producer whose retries are bounded.
 */
export function createDeadLetterProducer(kafka: Kafka): Producer {
  return kafka.producer({
    idempotent: false,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
}
