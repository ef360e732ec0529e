import { type Admin, type Kafka, type Producer } from 'kafkajs';

import { infrastructureConfig } from '@pitboss/platform-config';
import { uniqueTestPrefix } from '@pitboss/testing';

import { createDeadLetterProducer, createKafka } from './kafka-client';

/** Timers kafkajs's per-connection request queue arms to look at its pending requests while `during` runs. */
async function requestQueueTimersDuring(during: () => Promise<void>): Promise<number> {
  const original = global.setTimeout;
  let scheduled = 0;
  const spy = jest.spyOn(global, 'setTimeout').mockImplementation(((
    callback: (...args: unknown[]) => void,
    ms?: number,
    ...args: unknown[]
  ) => {
    if (new Error().stack?.includes('scheduleCheckPendingRequests')) scheduled += 1;
    return original(callback, ms, ...args);
  }) as typeof setTimeout);
  try {
    await during();
  } finally {
    spy.mockRestore();
  }
  return scheduled;
}

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * kafkajs 2.2.4 re-arms a 1 ms timer forever on every connection once it has had a response (tulios/kafkajs#1556):
 * ~1,600 wake-ups a second in a service that does nothing. patches/kafkajs+2.2.4.patch stops it; these tests fail
 * if the patch is not applied (an `npm install` without its postinstall, a kafkajs upgrade) or breaks the queue.
 */
describe('kafkajs request queue (patched)', () => {
  const topic = `${uniqueTestPrefix('requestqueue')}.bytes`;
  let kafka: Kafka;
  let admin: Admin;
  let producer: Producer;

  beforeAll(async () => {
    kafka = createKafka(infrastructureConfig(), '-test-requestqueue');
    admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    // One request in flight and not idempotent: concurrent sends queue in the connection's request queue.
    producer = createDeadLetterProducer(kafka);
    await producer.connect();
  });
  afterAll(async () => {
    await producer.disconnect();
    await admin.deleteTopics({ topics: [topic] });
    await admin.disconnect();
  });

  it('still sends every request queued behind the one-in-flight limit', async () => {
    let offsets: (string | undefined)[] = [];
    const checksArmed = await requestQueueTimersDuring(async () => {
      const sends = Array.from({ length: 20 }, (_, index) =>
        producer.send({ topic, messages: [{ key: 'k', value: String(index) }] }),
      );
      offsets = (await Promise.all(sends)).map((records) => records[0]?.baseOffset);
    });

    expect(checksArmed).toBeGreaterThan(0); // requests did queue: the patched path ran
    expect(new Set(offsets).size).toBe(20);
  });

  it('schedules no pending-request check on a connection with nothing pending', async () => {
    await producer.send({ topic, messages: [{ key: 'k', value: 'answered' }] });

    const scheduled = await requestQueueTimersDuring(() => pause(300));

    expect(scheduled).toBe(0);
  });
});
