import { DAY_MS } from './movements';

/** The UTC day before `now` as `YYYY-MM-DD`: what a daily run reconciles by default. */
export function previousUtcDay(now: number): string {
  return new Date(now - DAY_MS).toISOString().slice(0, 10);
}

/**
 * The day a scheduled run is due for at `now`: yesterday (UTC) once the clock passed the scheduled minute of
 * today, else null (yesterday's report may not be complete before then).
 */
export function dueReportDate(now: number, scheduleMinuteUtc: number): string | null {
  const minuteOfDay = Math.floor((now % DAY_MS) / 60_000);
  return minuteOfDay >= scheduleMinuteUtc ? previousUtcDay(now) : null;
}
