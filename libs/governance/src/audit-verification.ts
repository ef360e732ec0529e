import { type Pool } from 'pg';

import {
  type ChainHead,
  type ChainVerdict,
  checkAgainstCheckpoint,
  verifyChain,
} from '@pitboss/governance-domain';

import { type PostgresAuditJournal } from './audit-journal';

/**
 * Recomputes the schema's whole chain and, when a published checkpoint is given, checks the chain still
 * reaches it with the same hash (a deleted tail or a rewritten chain cannot hide from a head published
 * outside the database).
 */
export async function verifyAuditJournal(
  pool: Pool,
  journal: PostgresAuditJournal,
  checkpoint: ChainHead | null,
): Promise<ChainVerdict> {
  const entries = [];
  for await (const entry of journal.entries(pool)) entries.push(entry);
  const verdict = verifyChain(entries);
  if (checkpoint === null) return verdict;
  return checkAgainstCheckpoint(verdict, checkpoint, await journal.hashAt(pool, checkpoint.sequence));
}
