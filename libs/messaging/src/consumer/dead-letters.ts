import { type KafkaMessage, type Producer } from 'kafkajs';

import { type ConsumerMetrics } from '../consumer-metrics';
import { type TopicNaming } from '../topic-naming';
import { messageOf } from './consumed-message';

/**
 * Parks a message on `<topic>.dlq` with the error in its headers, acknowledged by every in-sync replica. A failed
 * write rejects, and the consumer then does not commit the offset: the message comes again.
 */
export class DeadLetters {
  constructor(
    private readonly producer: Producer,
    private readonly naming: TopicNaming,
    private readonly groupId: string,
    private readonly metrics?: ConsumerMetrics,
  ) {}

  async park(
    topic: string,
    partition: number,
    message: KafkaMessage,
    error: unknown,
    attempts: number,
  ): Promise<void> {
    await this.producer.send({
      topic: this.naming.deadLetter(topic),
      acks: -1,
      messages: [
        {
          key: message.key,
          value: message.value,
          headers: {
            ...message.headers,
            'dlq-error': messageOf(error).slice(0, 2_000),
            'dlq-error-type': error instanceof Error ? error.name : 'Error',
            'dlq-original-topic': this.naming.physical(topic),
            'dlq-original-partition': String(partition),
            'dlq-original-offset': message.offset,
            'dlq-consumer-group': this.naming.physical(this.groupId),
            'dlq-attempts': String(attempts),
            'dlq-failed-at': new Date().toISOString(),
          },
        },
      ],
    });
    this.metrics?.outcomes.inc({ topic, outcome: 'dead_lettered' });
  }
}
