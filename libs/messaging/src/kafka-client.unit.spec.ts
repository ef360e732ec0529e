import { type LogEntry, logLevel } from 'kafkajs';

import { kafkaLogLine } from './kafka-client';

const entry = (message: string, extra: Record<string, unknown> = {}): LogEntry => ({
  namespace: 'Producer',
  level: logLevel.WARN,
  label: 'WARN',
  log: { timestamp: '2026-12-02T00:00:00.000Z', message, ...extra },
});

describe(kafkaLogLine.name, () => {
  it('prints a warning as one JSON line with its context', () => {
    expect(JSON.parse(kafkaLogLine(entry('Connection timeout', { broker: 'b:9092' })) ?? '')).toEqual({
      level: 'WARN',
      context: 'kafkajs:Producer',
      message: 'Connection timeout',
      timestamp: '2026-12-02T00:00:00.000Z',
      broker: 'b:9092',
    });
  });

  it('drops the idempotent-producer retry warning, a trade-off the relay makes on purpose', () => {
    expect(
      kafkaLogLine(entry('Limiting retries for the idempotent producer may invalidate EoS guarantees')),
    ).toBe(undefined);
  });
});
