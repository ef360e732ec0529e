import { inSpan, SpanKind } from '@pitboss/observability';

import { type DecodedMessage, headerOf } from './consumed-message';

/**
 * A consumer span per message, a child of the relay's publish span named in the message's traceparent, so what
 * the handler does (its queries, wallet calls, appends) joins the trace of the request upstream. In a batch, each
 * message's handler runs in its own span; the batch's shared queries (inbox claim, commit) run outside them.
 */
export function inMessageSpan<T>(decoded: DecodedMessage, work: () => Promise<T>): Promise<T> {
  const { message, context } = decoded;
  return inSpan(
    `process ${decoded.physicalTopic}`,
    {
      kind: SpanKind.CONSUMER,
      parent: headerOf(message.headers, 'traceparent') ?? null,
      attributes: {
        'messaging.system': 'kafka',
        'messaging.operation.type': 'process',
        'messaging.destination.name': decoded.physicalTopic,
        'messaging.destination.partition.id': String(context.partition),
        'messaging.kafka.offset': Number(message.offset),
        'messaging.consumer.group.name': decoded.consumerGroup,
      },
    },
    work,
  );
}
