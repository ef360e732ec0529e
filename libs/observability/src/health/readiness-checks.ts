import { type Admin } from 'kafkajs';
import { type Redis } from 'ioredis';
import { type Pool } from 'pg';

import { type ReadinessCheck } from './readiness.types';

// Each helper takes only the method it calls, so a pool, a transaction client or a test double all fit.

/** Postgres answers a query through the service's own pool (which also proves the pool is not exhausted). */
export function postgresCheck(pool: Pick<Pool, 'query'>): ReadinessCheck {
  return async () => {
    await pool.query('SELECT 1');
  };
}

/** The Kafka cluster answers metadata requests. `admin` must be connected by whoever owns it. */
export function kafkaCheck(admin: Pick<Admin, 'describeCluster'>): ReadinessCheck {
  return async () => {
    const cluster = await admin.describeCluster();
    if (cluster.brokers.length === 0) throw new Error('Kafka cluster reports no brokers');
  };
}

/** The schema registry's Confluent-compatible API answers `GET {baseUrl}/subjects` with a 2xx. */
export function schemaRegistryCheck(baseUrl: string, timeoutMs = 2_000): ReadinessCheck {
  const url = `${baseUrl.replace(/\/+$/, '')}/subjects`;
  return async () => {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    // Reading the body releases the connection back to fetch's pool instead of leaking it until GC.
    await response.arrayBuffer();
    if (!response.ok) throw new Error(`schema registry answered ${response.status} on GET ${url}`);
  };
}

/** Redis answers PING. */
export function redisCheck(redis: Pick<Redis, 'ping'>): ReadinessCheck {
  return async () => {
    const reply = await redis.ping();
    if (reply !== 'PONG') throw new Error(`Redis answered "${reply}" to PING`);
  };
}
