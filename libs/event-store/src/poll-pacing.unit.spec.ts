import { PollPacing } from './poll-pacing';

describe(PollPacing.name, () => {
  let now = 0;
  const options = { busyIntervalMs: 10, idleIntervalMs: 100, idleAfterMs: 1_000 };
  const sut = () => new PollPacing(options, () => now);

  beforeEach(() => (now = 50_000));

  it('starts at the idle pace: a new poller has seen no traffic', () => {
    expect(sut().nextDelayMs()).toBe(100);
  });

  it('polls at the busy pace from the moment rows are seen, and for idleAfterMs after the last of them', () => {
    const pacing = sut();
    pacing.sawRows();

    now += 999;
    expect(pacing.nextDelayMs()).toBe(10);
    now += 1;
    expect(pacing.nextDelayMs()).toBe(100);
  });

  it('goes back to the busy pace as soon as a quiet source has rows again', () => {
    const pacing = sut();
    now += 60_000;
    pacing.sawRows();

    expect(pacing.nextDelayMs()).toBe(10);
  });
});
