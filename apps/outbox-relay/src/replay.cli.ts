import { parseArgs } from 'node:util';

import { createPool, replayStoredEvents } from '@pitboss/event-store';
import { infrastructureConfig } from '@pitboss/platform-config';

const USAGE =
  'usage: npm run relay:replay -- --source <schema> --from <position> --to <position> [--event-type <type>]…';

/**
 * `npm run relay:replay`: re-enqueues a range of a service's stored events (by global position, both ends
 * inclusive) into its outbox; the running relay publishes them again with their original event ids.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      source: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      'event-type': { type: 'string', multiple: true },
    },
  });
  if (!values.source || !values.from || !values.to || !/^\d+$/.test(values.from) || !/^\d+$/.test(values.to))
    throw new Error(USAGE);
  const pool = createPool({
    databaseUrl: process.env['RELAY_DATABASE_URL'] ?? infrastructureConfig().databaseUrl,
    schema: values.source,
    maxConnections: 2,
  });
  try {
    const enqueued = await replayStoredEvents(pool, {
      fromPosition: BigInt(values.from),
      toPosition: BigInt(values.to),
      ...(values['event-type'] ? { eventTypes: values['event-type'] } : {}),
    });
    console.log(
      `replay: re-enqueued ${enqueued} events of ${values.source} (positions ${values.from}..${values.to}) for publication`,
    );
  } finally {
    await pool.end();
  }
}

main().catch((error: unknown) => {
  console.error(`replay: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
