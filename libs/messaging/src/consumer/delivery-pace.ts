import { type ConsumerConfig } from 'kafkajs';

import { envInt } from '@pitboss/platform-config';

/**
 * How soon a consumer wants what is published. `prompt` (kafkajs's default: the broker answers a fetch as soon as
 * one message is there) is for a consumer on a bet's path, whose every message someone waits on (settle-worker,
 * bet-gateway). A `background` consumer reads every bet's events too but nobody waits on it (reconciliation's
 * mirror, wagering progress, bonus-grant's entitlement groups, the NOC): the broker may hold its fetch up to
 * `KAFKA_BACKGROUND_FETCH_WAIT_MS` to fill it, so at tens of bets a second it receives one batch per wait instead of
 * a fetch, a decode pass and a Postgres transaction for every message or two.
 */
export type DeliveryPace = 'prompt' | 'background';

/** What a background fetch waits to collect before the wait is up: more than a partition's busiest second. */
const BACKGROUND_FETCH_MIN_BYTES = 1024 * 1024;

/** The fetch settings of a pace (`KAFKA_BACKGROUND_FETCH_WAIT_MS`, default 500; 0 makes background prompt). */
export function fetchSettingsOf(
  pace: DeliveryPace,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Pick<ConsumerConfig, 'minBytes' | 'maxWaitTimeInMs'> {
  if (pace === 'prompt') return {};
  const waitMs = envInt('KAFKA_BACKGROUND_FETCH_WAIT_MS', 500, env);
  if (waitMs < 0) throw new RangeError('KAFKA_BACKGROUND_FETCH_WAIT_MS must not be negative');
  return waitMs === 0 ? {} : { minBytes: BACKGROUND_FETCH_MIN_BYTES, maxWaitTimeInMs: waitMs };
}
