export * from './event-codec';
export * from './event-consumer';
export * from './event-publisher';
export * from './kafka-client';
export * from './non-retryable.error';
export * from './retry-backoff';
export * from './schema-registration';
export * from './schema-registry-client';
export * from './topic-naming';
export * from './topic-provisioning';
export * from './messaging.module';
export * from './messaging.tokens';
export { type DecodedMessage } from './consumer/consumed-message';
export {
  ConsumerEngine,
  type ConsumerEngineOptions,
  type MessageProcessor,
} from './consumer/consumer-engine';
export { type DeliveryPace } from './consumer/delivery-pace';
export * from './consumer/consumer-inbox';
export * from './consumer/per-unit-batches';
export * from './consumer/transactional-processor';
export * from './transport/consumed-event';
export * from './transport/events-controller.decorator';
export * from './transport/kafka-event.transport';
