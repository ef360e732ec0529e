import { latenciesSince, tallyDeliveries, type Delivery } from './relay-deliveries';

const delivery = (eventId: string, occurredAt: number, receivedAt: number): Delivery => ({
  eventId,
  eventType: 'bet.authorized',
  occurredAt,
  receivedAt,
});

describe(tallyDeliveries.name, () => {
  it('counts firsts, duplicates, missing and foreign messages, with first-delivery latencies', () => {
    const sut = tallyDeliveries(new Set(['a', 'b', 'c']), [
      delivery('a', 100, 130),
      delivery('x', 100, 140),
      delivery('b', 110, 120),
      delivery('a', 100, 190),
    ]);

    expect(sut).toMatchObject({ expected: 3, unique: 2, duplicates: 1, missing: 1, foreign: 1 });
    expect(sut.latenciesMs).toEqual([10, 30]);
    expect(sut.firstReceivedAt).toBe(120);
    expect(sut.lastReceivedAt).toBe(130);
  });
});

describe(latenciesSince.name, () => {
  it('keeps the first deliveries of expected events that occurred from the given time on', () => {
    const sut = latenciesSince(
      new Set(['a', 'b', 'c']),
      [
        delivery('a', 100, 400),
        delivery('b', 200, 250),
        delivery('b', 200, 900),
        delivery('c', 300, 305),
        delivery('x', 300, 800),
      ],
      200,
    );

    expect(sut).toEqual([5, 50]);
  });
});
