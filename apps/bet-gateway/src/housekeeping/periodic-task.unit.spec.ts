import { PeriodicTask } from './periodic-task';

describe(PeriodicTask.name, () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('runs one task at a time: the next is scheduled only once the last has ended', async () => {
    let running = 0;
    let overlapped = false;
    let finish: () => void = () => undefined;
    const sut = new PeriodicTask(
      10,
      () => {
        if (running > 0) overlapped = true;
        running++;
        return new Promise<void>((resolve) => (finish = () => (running--, resolve())));
      },
      () => undefined,
    );
    sut.start();

    await jest.advanceTimersByTimeAsync(100);
    expect(running).toBe(1);
    finish();
    await jest.advanceTimersByTimeAsync(10);

    expect(overlapped).toBe(false);
    expect(running).toBe(1);
    finish();
    await sut.stop();
  });

  it('hands a failed run to onError and keeps going', async () => {
    const errors: unknown[] = [];
    let runs = 0;
    const sut = new PeriodicTask(
      10,
      async () => {
        runs++;
        throw new Error('database down');
      },
      (error) => errors.push(error),
    );
    sut.start();

    await jest.advanceTimersByTimeAsync(35);
    await sut.stop();

    expect(runs).toBe(3);
    expect(errors).toHaveLength(3);
  });

  it('stops: waits for the run in hand and schedules nothing after it', async () => {
    let finish: () => void = () => undefined;
    let runs = 0;
    const sut = new PeriodicTask(
      10,
      () => (runs++, new Promise<void>((resolve) => (finish = resolve))),
      () => undefined,
    );
    sut.start();
    await jest.advanceTimersByTimeAsync(10);

    let stopped = false;
    const stopping = sut.stop().then(() => (stopped = true));
    await jest.advanceTimersByTimeAsync(0);
    expect(stopped).toBe(false);
    finish();
    await stopping;
    await jest.advanceTimersByTimeAsync(100);

    expect([stopped, runs]).toEqual([true, 1]);
  });
});
