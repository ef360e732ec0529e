import { Registry } from 'prom-client';

import { HealthController } from './health.controller';
import { ReadinessRegistry } from './readiness.registry';

function makeSut(): { sut: HealthController; readiness: ReadinessRegistry } {
  const readiness = new ReadinessRegistry(new Registry());
  return { sut: new HealthController(readiness), readiness };
}

function makeReply(): { status: jest.Mock } {
  return { status: jest.fn() };
}

describe(HealthController.name, () => {
  it('is live without consulting any check', () => {
    const { sut, readiness } = makeSut();
    readiness.register('kafka', async () => {
      throw new Error('down');
    });

    expect(sut.live()).toEqual({ status: 'live' });
  });

  it('answers 200 with the report when ready', async () => {
    const { sut, readiness } = makeSut();
    readiness.register('postgres', async () => undefined);
    const reply = makeReply();

    const body = await sut.ready(reply);

    expect(reply.status).toHaveBeenCalledWith(200);
    expect(body).toMatchObject({ status: 'ready', checks: { postgres: { status: 'up' } } });
  });

  it('answers 503 naming the failing check', async () => {
    const { sut, readiness } = makeSut();
    readiness.register('redis', async () => {
      throw new Error('connect ECONNREFUSED');
    });
    const reply = makeReply();

    const body = await sut.ready(reply);

    expect(reply.status).toHaveBeenCalledWith(503);
    expect(body).toMatchObject({
      status: 'not_ready',
      checks: { redis: { status: 'down', error: 'connect ECONNREFUSED' } },
    });
  });

  it('answers 503 while shutting down', async () => {
    const { sut, readiness } = makeSut();
    readiness.markShuttingDown();
    const reply = makeReply();

    const body = await sut.ready(reply);

    expect(reply.status).toHaveBeenCalledWith(503);
    expect(body.status).toBe('not_ready');
  });
});
