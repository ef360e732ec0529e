import { type Pool } from 'pg';

import { createPool, type ExpectedVersion, PostgresEventStore } from '@pitboss/event-store';

export interface WorkloadOptions {
  readonly databaseUrl: string;
  readonly schema: string;
  readonly writers: number;
  readonly appendsPerWriter: number;
  readonly playersPerWriter?: number;
  readonly streamsPerPlayer?: number;
  readonly tenantId?: string;
}

export interface AppendedEvent {
  readonly eventId: string;
  readonly key: string;
  /** 1, 2, 3… per key in append order: what per-key ordering is checked against. */
  readonly sequence: number;
}

/**
 * Concurrent writers, each on its own connection, appending `bet.settled` events to several streams of its
 * own players. One writer appends a player's events one after another, so their commit order is their
 * sequence; `win.minor_units` carries that sequence so a consumer can check per-key order.
 */
export async function runOutboxWorkload(options: WorkloadOptions): Promise<AppendedEvent[]> {
  const store = new PostgresEventStore({ region: 'test' });
  const tenantId = options.tenantId ?? 'tenant-load';
  const writers = Array.from({ length: options.writers }, (_, writer) => runWriter(writer));
  return (await Promise.all(writers)).flat();

  async function runWriter(writer: number): Promise<AppendedEvent[]> {
    const pool: Pool = createPool({
      databaseUrl: options.databaseUrl,
      schema: options.schema,
      maxConnections: 1,
    });
    const players = Array.from(
      { length: options.playersPerWriter ?? 3 },
      (_, index) => `player-${writer}-${index}`,
    );
    const versions = new Map<string, ExpectedVersion>();
    const sequences = new Map<string, number>();
    const appended: AppendedEvent[] = [];
    try {
      for (let index = 0; index < options.appendsPerWriter; index++) {
        const player = players[index % players.length] as string;
        const streamId = `bet-${player}-${index % (options.streamsPerPlayer ?? 2)}`;
        const sequence = (sequences.get(player) ?? 0) + 1;
        const result = await store.append(
          pool,
          streamId,
          versions.get(streamId) ?? 'no_stream',
          [
            {
              type: 'bet.settled',
              data: {
                bet_id: streamId,
                win: { minor_units: sequence, currency: 'EUR' },
                wallet_transaction_id: null,
              },
            },
          ],
          { tenantId, playerId: player },
        );
        versions.set(streamId, result.nextExpectedVersion);
        sequences.set(player, sequence);
        appended.push({
          eventId: (result.events[0] as { eventId: string }).eventId,
          key: `${tenantId}:${player}`,
          sequence,
        });
      }
      return appended;
    } finally {
      await pool.end();
    }
  }
}
