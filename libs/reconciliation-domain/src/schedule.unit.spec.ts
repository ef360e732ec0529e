import { dueReportDate, previousUtcDay } from './schedule';

describe('daily schedule', () => {
  const at = (iso: string) => Date.parse(iso);

  it('given any time of a day, the previous UTC day is the default date', () => {
    expect(previousUtcDay(at('2026-03-01T00:00:00.000Z'))).toBe('2026-02-28');
    expect(previousUtcDay(at('2026-03-01T23:59:59.999Z'))).toBe('2026-02-28');
  });

  it('given the scheduled minute has not come, when asked, then nothing is due', () => {
    expect(dueReportDate(at('2026-03-10T01:59:59.000Z'), 120)).toBeNull();
  });

  it('given the scheduled minute came, when asked (then or later that day), then yesterday is due', () => {
    expect(dueReportDate(at('2026-03-10T02:00:00.000Z'), 120)).toBe('2026-03-09');
    expect(dueReportDate(at('2026-03-10T23:00:00.000Z'), 120)).toBe('2026-03-09');
  });
});
