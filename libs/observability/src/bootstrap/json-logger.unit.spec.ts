import { ConsoleLogger, Logger } from '@nestjs/common';

import { ConfigError } from '@pitboss/platform-config';

import { logLevelsFrom, ServiceJsonLogger } from './json-logger';

describe(logLevelsFrom.name, () => {
  it('prints log and more severe levels by default', () => {
    expect(logLevelsFrom({})).toEqual(['log', 'warn', 'error', 'fatal']);
  });

  it('prints from the level LOG_LEVEL names', () => {
    expect(logLevelsFrom({ LOG_LEVEL: 'debug' })).toEqual(['debug', 'log', 'warn', 'error', 'fatal']);
    expect(logLevelsFrom({ LOG_LEVEL: 'error' })).toEqual(['error', 'fatal']);
  });

  it('refuses an unknown level', () => {
    expect(() => logLevelsFrom({ LOG_LEVEL: 'info' })).toThrow(ConfigError);
  });
});

describe(ServiceJsonLogger.name, () => {
  let written: string[];
  const linesOf = () => written.join('').split('\n').filter(Boolean);
  const entries = () => linesOf().map((line) => JSON.parse(line) as Record<string, unknown>);
  const loggerFor = (env: Record<string, string> = {}) =>
    new ServiceJsonLogger('settle-worker', env, { write: (chunk: string) => void written.push(chunk) });

  beforeEach(() => {
    written = [];
  });

  // Nest's Logger is what every service calls; it forwards to the logger the app was created with.
  afterEach(() => Logger.overrideLogger(new ConsoleLogger()));

  it('writes one JSON object per line with level name, service, context, pid, timestamp and message', () => {
    Logger.overrideLogger(loggerFor());
    const before = Date.now();

    new Logger('Bootstrap').log('settle-worker listening on http://127.0.0.1:3001');

    expect(linesOf()).toHaveLength(1);
    const [entry] = entries();
    expect(entry).toEqual({
      level: 'log',
      timestamp: expect.any(Number),
      pid: process.pid,
      service: 'settle-worker',
      category: 'integration',
      context: 'Bootstrap',
      message: 'settle-worker listening on http://127.0.0.1:3001',
    });
    expect(entry?.['timestamp']).toBeGreaterThanOrEqual(before);
  });

  it('keeps the message the last field of the line, where the tools read a URL up to its closing quote', () => {
    Logger.overrideLogger(loggerFor());

    new Logger('Bootstrap').log('outbox-relay listening on http://127.0.0.1:3005');

    expect(linesOf()[0]).toMatch(/"message":"outbox-relay listening on http:\/\/127\.0\.0\.1:3005"}$/);
  });

  it('prints only the levels LOG_LEVEL allows, each under its Nest name', () => {
    Logger.overrideLogger(loggerFor({ LOG_LEVEL: 'warn' }));
    const logger = new Logger('Saga');

    logger.verbose('v');
    logger.debug('d');
    logger.log('l');
    logger.warn('w');
    logger.error('e');
    logger.fatal('f');

    expect(entries().map(({ level, message }) => [level, message])).toEqual([
      ['warn', 'w'],
      ['error', 'e'],
      ['fatal', 'f'],
    ]);
  });

  it('carries the stack of an error, passed as Nest passes it or as the Error itself', () => {
    Logger.overrideLogger(loggerFor());
    const failure = new Error('wallet unreachable');

    new Logger('Relay').error('publish failed', failure.stack);
    new Logger('Relay').error(failure);

    expect(entries()).toEqual([
      expect.objectContaining({
        level: 'error',
        context: 'Relay',
        message: 'publish failed',
        stack: failure.stack,
      }),
      expect.objectContaining({
        level: 'error',
        context: 'Relay',
        message: 'wallet unreachable',
        stack: failure.stack,
      }),
    ]);
  });

  it('reads a trailing string as the context and writes each further message on its own line', () => {
    const sut = loggerFor();

    sut.log('first', 'second', 'Consumer');
    sut.warn({ lag: 3 });

    expect(entries()).toEqual([
      expect.objectContaining({ level: 'log', context: 'Consumer', message: 'first' }),
      expect.objectContaining({ level: 'log', context: 'Consumer', message: 'second' }),
      expect.not.objectContaining({ context: expect.anything() }),
    ]);
    expect(entries()[2]).toMatchObject({ level: 'warn', message: { lag: 3 } });
  });

  it('files each line under a category: the one named, else incident for warnings and errors', () => {
    Logger.overrideLogger(loggerFor());
    new Logger('Bets').log({ category: 'audit', bet: 'settled' });
    new Logger('Wallet').warn('wallet slow');
    new Logger('Bootstrap').log('up');
    expect(entries().map((entry) => entry['category'])).toEqual(['audit', 'incident', 'integration']);
  });

  it('never writes secrets, signatures or bearer tokens it is handed', () => {
    Logger.overrideLogger(loggerFor());
    new Logger('Http').log({
      headers: { authorization: 'Bearer abc.def', 'x-signature': 'f00d' },
      secret: 's3',
    });
    new Logger('Http').error(new Error('refused Authorization: Bearer eyJhbGciOi.payload.sig'));
    const text = linesOf().join('\n');
    for (const leaked of ['abc.def', 'f00d', 's3"', 'eyJhbGciOi']) expect(text).not.toContain(leaked);
    expect(text).toContain('[redacted]');
  });

  it('follows setLogLevels, as Nest allows at run time', () => {
    const sut = loggerFor();

    sut.setLogLevels(['debug']);
    sut.log('hidden');
    sut.debug('shown');

    expect(entries().map(({ message }) => message)).toEqual(['shown']);
  });
});
