import { Registry } from 'prom-client';

import { ReadinessRegistry } from './readiness.registry';
import { type ReadinessCheck } from './readiness.types';

const up: ReadinessCheck = async () => undefined;
const failing =
  (message: string): ReadinessCheck =>
  async () => {
    throw new Error(message);
  };
const hanging: ReadinessCheck = () => new Promise<void>(() => undefined);

function makeSut(): { sut: ReadinessRegistry; metrics: Registry } {
  const metrics = new Registry();
  return { sut: new ReadinessRegistry(metrics), metrics };
}

describe(ReadinessRegistry.name, () => {
  it('is ready when every check is up, with each check and its latency', async () => {
    const { sut } = makeSut();
    sut.register('postgres', up);
    sut.register('redis', up);

    const report = await sut.evaluate();

    expect(report.status).toBe('ready');
    expect(report.checks).toEqual({
      postgres: { status: 'up', latency_ms: expect.any(Number) },
      redis: { status: 'up', latency_ms: expect.any(Number) },
    });
  });

  it('is ready with no check registered', async () => {
    const { sut } = makeSut();

    await expect(sut.evaluate()).resolves.toEqual({ status: 'ready', checks: {} });
  });

  it('is not ready when one check fails, naming it and its error', async () => {
    const { sut } = makeSut();
    sut.register('postgres', up);
    sut.register('kafka', failing('connect ECONNREFUSED 127.0.0.1:9092'));

    const report = await sut.evaluate();

    expect(report.status).toBe('not_ready');
    expect(report.checks['postgres']?.status).toBe('up');
    expect(report.checks['kafka']).toEqual({
      status: 'down',
      latency_ms: expect.any(Number),
      error: 'connect ECONNREFUSED 127.0.0.1:9092',
    });
  });

  it('counts a check that throws synchronously as down', async () => {
    const { sut } = makeSut();
    sut.register('broken', () => {
      throw new Error('not wired');
    });

    const report = await sut.evaluate();

    expect(report.checks['broken']).toMatchObject({ status: 'down', error: 'not wired' });
  });

  it('reports the messages inside an AggregateError', async () => {
    const { sut } = makeSut();
    sut.register('redis', async () => {
      throw new AggregateError([
        new Error('connect ECONNREFUSED ::1:1'),
        new Error('connect ECONNREFUSED 127.0.0.1:1'),
      ]);
    });

    const report = await sut.evaluate();

    expect(report.checks['redis']?.error).toBe(
      'connect ECONNREFUSED ::1:1; connect ECONNREFUSED 127.0.0.1:1',
    );
  });

  it('times out a hanging check without waiting for it', async () => {
    const { sut } = makeSut();
    sut.register('schema-registry', hanging, { timeoutMs: 20 });
    sut.register('postgres', up);

    const report = await sut.evaluate();

    expect(report.status).toBe('not_ready');
    expect(report.checks['schema-registry']).toMatchObject({
      status: 'down',
      error: 'timed out after 20 ms',
    });
    expect(report.checks['postgres']?.status).toBe('up');
  });

  it('runs the checks concurrently', async () => {
    const { sut } = makeSut();
    let markSecondStarted = (): void => undefined;
    const secondStarted = new Promise<void>((resolve) => (markSecondStarted = resolve));
    // The first check can only pass once the second has started, which sequential runs would never allow.
    sut.register('first', () => secondStarted, { timeoutMs: 1_000 });
    sut.register('second', async () => markSecondStarted());

    const report = await sut.evaluate();

    expect(report.status).toBe('ready');
  });

  it('is not ready while shutting down, without running the checks', async () => {
    const { sut } = makeSut();
    const check = jest.fn(up);
    sut.register('postgres', check);

    sut.markShuttingDown();
    const report = await sut.evaluate();

    expect(report).toEqual({ status: 'not_ready', reason: 'shutting_down', checks: {} });
    expect(check).not.toHaveBeenCalled();
    expect(sut.isShuttingDown).toBe(true);
  });

  it('marks itself shutting down on the application shutdown hooks', () => {
    const first = makeSut().sut;
    const second = makeSut().sut;

    first.onModuleDestroy();
    second.beforeApplicationShutdown();

    expect(first.isShuttingDown).toBe(true);
    expect(second.isShuttingDown).toBe(true);
  });

  it('refuses a second check under the same name', () => {
    const { sut } = makeSut();
    sut.register('redis', up);

    expect(() => sut.register('redis', up)).toThrow('readiness check "redis" is already registered');
  });

  it('publishes each check as readiness_check_up', async () => {
    const { sut, metrics } = makeSut();
    sut.register('postgres', up);
    sut.register('kafka', failing('down'));

    await sut.evaluate();

    const text = await metrics.getSingleMetricAsString('readiness_check_up');
    expect(text).toContain('readiness_check_up{check="postgres"} 1');
    expect(text).toContain('readiness_check_up{check="kafka"} 0');
  });
});
