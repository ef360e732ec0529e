import { ConfigError } from './env';

/** A setting as the operator wrote it: its variable and the value in force (default or set). */
export interface NamedSetting {
  readonly name: string;
  readonly value: number;
}

/**
 * Refuses settings that each parse but contradict one another, with a one-line reason naming both variables and
 * why the first must be larger (so the operator knows which to change).
 */
export function requireGreater(larger: NamedSetting, smaller: NamedSetting, why: string): void {
  if (larger.value > smaller.value) return;
  throw new ConfigError(
    `${larger.name} (${larger.value}) must be greater than ${smaller.name} (${smaller.value}): ${why}`,
  );
}

/** As `requireGreater`, equality allowed. */
export function requireAtLeast(larger: NamedSetting, smaller: NamedSetting, why: string): void {
  if (larger.value >= smaller.value) return;
  throw new ConfigError(
    `${larger.name} (${larger.value}) must be at least ${smaller.name} (${smaller.value}): ${why}`,
  );
}
