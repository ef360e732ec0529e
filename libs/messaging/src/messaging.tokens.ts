/** Nest injection tokens of the shared Kafka client and its admin connection. */
export const KAFKA = Symbol('KAFKA');
export const KAFKA_ADMIN = Symbol('KAFKA_ADMIN');
