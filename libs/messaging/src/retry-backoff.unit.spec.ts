import { backoffDelayMs } from './retry-backoff';
import { TopicNaming } from './topic-naming';

describe(backoffDelayMs.name, () => {
  const policy = { initialMs: 100, maxMs: 1_000 };

  it('doubles the ceiling per attempt up to the maximum', () => {
    const ceiling = (attempt: number) => backoffDelayMs(attempt, policy, () => 1);

    expect([1, 2, 3, 4, 5].map(ceiling)).toEqual([100, 200, 400, 800, 1_000]);
  });

  it('jitters anywhere between zero and the ceiling', () => {
    expect(backoffDelayMs(3, policy, () => 0)).toBe(0);
    expect(backoffDelayMs(3, policy, () => 0.5)).toBe(200);
  });
});

describe(TopicNaming.name, () => {
  const sut = new TopicNaming('test-1.');

  it('prefixes topics, dead-letter topics and subjects alike, and strips the prefix back', () => {
    expect(sut.physical('rgs.rounds.v1')).toBe('test-1.rgs.rounds.v1');
    expect(sut.deadLetter('rgs.rounds.v1')).toBe('test-1.rgs.rounds.v1.dlq');
    expect(sut.valueSubject('rgs.rounds.v1')).toBe('test-1.rgs.rounds.v1-value');
    expect(sut.logical('test-1.rgs.rounds.v1')).toBe('rgs.rounds.v1');
  });
});
