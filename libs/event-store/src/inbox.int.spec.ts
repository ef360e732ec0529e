import { randomUUID } from 'node:crypto';

import { createTestSchema, type TestSchema } from '@pitboss/testing';

import { processOnce } from './inbox';
import { eventStoreMigrations } from './migrations/event-store-migrations';

describe(processOnce.name, () => {
  let db: TestSchema;

  beforeAll(async () => {
    db = await createTestSchema(eventStoreMigrations, 'inbox');
    await db.pool.query('CREATE TABLE effects (event_id uuid NOT NULL)');
  });
  afterAll(() => db.drop());

  const message = (eventId: string) => ({ consumer: 'credit-handler', eventId, eventType: 'bet.settled' });
  const recordEffect =
    (eventId: string) => (tx: { query: (sql: string, params: unknown[]) => Promise<unknown> }) =>
      tx.query('INSERT INTO effects (event_id) VALUES ($1)', [eventId]).then(() => undefined);
  const effectsOf = async (eventId: string) =>
    (await db.pool.query('SELECT 1 FROM effects WHERE event_id = $1', [eventId])).rowCount;

  it('applies an effect once however often the event is redelivered', async () => {
    const eventId = randomUUID();

    const outcomes = [];
    for (let delivery = 0; delivery < 3; delivery++)
      outcomes.push(await processOnce(db.pool, message(eventId), recordEffect(eventId)));

    expect(outcomes).toEqual(['processed', 'duplicate', 'duplicate']);
    expect(await effectsOf(eventId)).toBe(1);
  });

  it('applies an effect once when deliveries race', async () => {
    const eventId = randomUUID();

    const outcomes = await Promise.all(
      Array.from({ length: 10 }, () => processOnce(db.pool, message(eventId), recordEffect(eventId))),
    );

    expect(outcomes.filter((outcome) => outcome === 'processed')).toHaveLength(1);
    expect(await effectsOf(eventId)).toBe(1);
  });

  it('records nothing when the effect fails, so the redelivery applies it', async () => {
    const eventId = randomUUID();

    await expect(
      processOnce(db.pool, message(eventId), () => Promise.reject(new Error('wallet down'))),
    ).rejects.toThrow('wallet down');
    const retried = await processOnce(db.pool, message(eventId), recordEffect(eventId));

    expect(retried).toBe('processed');
    expect(await effectsOf(eventId)).toBe(1);
  });

  it('lets another consumer process the same event', async () => {
    const eventId = randomUUID();
    await processOnce(db.pool, message(eventId), recordEffect(eventId));

    const outcome = await processOnce(
      db.pool,
      { ...message(eventId), consumer: 'reporting' },
      async () => undefined,
    );

    expect(outcome).toBe('processed');
  });
});
