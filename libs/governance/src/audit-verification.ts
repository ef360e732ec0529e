import { type Pool } from 'pg';

import {
  type ChainHead,
  type ChainVerdict,
  checkAgainstCheckpoint,
  verifyChain,
} from '@pitboss/governance-domain';

import { type PostgresAuditJournal } from './audit-journal';

/**
 * Recomputes the schema's whole chain, then checks it still reaches the head row every append updates, and,
 * when a published checkpoint is given, that it reaches the checkpoint with the same hash. The head row catches
 * a careless truncation; only the checkpoint, published outside the database, catches one that rewound the head
 * row too (or rewrote the whole chain from some entry on).
 */
export async function verifyAuditJournal(
  pool: Pool,
  journal: PostgresAuditJournal,
  checkpoint: ChainHead | null,
): Promise<ChainVerdict> {
  const entries = [];
  for await (const entry of journal.entries(pool)) entries.push(entry);
  const chain = verifyChain(entries);
  const stored = await journal.storedHead(pool);
  const verdict = checkAgainstCheckpoint(
    chain,
    stored,
    await journal.hashAt(pool, stored.sequence),
    'head row',
  );
  if (checkpoint === null) return verdict;
  return checkAgainstCheckpoint(
    verdict,
    checkpoint,
    await journal.hashAt(pool, checkpoint.sequence),
    'published checkpoint',
  );
}
