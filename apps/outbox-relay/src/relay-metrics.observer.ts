import { Logger } from '@nestjs/common';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

import { type OutboxMessage, type RelayObserver } from '@pitboss/event-store';

/** Relay activity as Prometheus metrics (alert on lag and errors) and as logs when a role changes. */
export class RelayMetricsObserver implements RelayObserver {
  private readonly logger = new Logger('OutboxRelay');
  private readonly lag: Gauge<'source'>;
  private readonly active: Gauge<'source'>;
  private readonly publishedTotal: Counter<'source' | 'topic'>;
  private readonly errorsTotal: Counter<'source'>;
  private readonly readsTotal: Counter<'source' | 'found'>;
  private readonly commitToPublish: Histogram<'source'>;
  private readonly roles = new Map<string, string>();

  constructor(registry: Registry) {
    this.lag = new Gauge({
      name: 'outbox_lag_seconds',
      help: 'Age of the oldest unpublished outbox row',
      labelNames: ['source'],
      registers: [registry],
    });
    this.active = new Gauge({
      name: 'outbox_relay_active',
      help: '1 when this replica relays the source, 0 on standby',
      labelNames: ['source'],
      registers: [registry],
    });
    this.publishedTotal = new Counter({
      name: 'outbox_events_published_total',
      help: 'Events acknowledged by Kafka',
      labelNames: ['source', 'topic'],
      registers: [registry],
    });
    this.errorsTotal = new Counter({
      name: 'outbox_publish_errors_total',
      help: 'Failed publish attempts (the batch is retried)',
      labelNames: ['source'],
      registers: [registry],
    });
    this.readsTotal = new Counter({
      name: 'outbox_relay_reads_total',
      help: 'Reads of the outbox, each one statement and one Postgres transaction; found="none" is an empty poll',
      labelNames: ['source', 'found'],
      registers: [registry],
    });
    this.commitToPublish = new Histogram({
      name: 'outbox_insert_to_publish_seconds',
      help: 'From the outbox insert to the Kafka acknowledgement',
      labelNames: ['source'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
      registers: [registry],
    });
  }

  roleChanged(source: string, role: 'active' | 'standby' | 'stopped'): void {
    this.active.set({ source }, role === 'active' ? 1 : 0);
    if (this.roles.get(source) === role) return;
    this.roles.set(source, role);
    this.logger.log(`source ${source}: ${role}`);
  }

  published(source: string, messages: readonly OutboxMessage[], publishedAt: Date): void {
    for (const message of messages) {
      this.publishedTotal.inc({ source, topic: message.topic });
      this.commitToPublish.observe({ source }, (publishedAt.getTime() - message.createdAt.getTime()) / 1_000);
    }
  }

  publishFailed(source: string, error: unknown, attempt: number): void {
    this.errorsTotal.inc({ source });
    this.logger.warn(
      `source ${source}: publish attempt ${attempt} failed: ${error instanceof Error ? error.message : String(error)}`,
    );
  }

  batchRead(source: string, rows: number): void {
    this.readsTotal.inc({ source, found: rows === 0 ? 'none' : 'rows' });
  }

  outboxLag(source: string, ageMs: number): void {
    this.lag.set({ source }, ageMs / 1_000);
  }

  connectionLost(source: string, error: unknown): void {
    this.active.set({ source }, 0);
    this.logger.warn(
      `source ${source}: database connection lost: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}
