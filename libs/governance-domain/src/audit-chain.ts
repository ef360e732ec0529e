import { createHash } from 'node:crypto';

import canonicalize from 'canonicalize';

/** The `prev_hash` of the first entry of a chain. */
export const GENESIS_HASH = '0'.repeat(64);

/** One audit journal entry as it is hashed: every field but its own hash. */
export interface AuditEntryContent {
  readonly sequence: number;
  /** ISO-8601 UTC with milliseconds. */
  readonly occurred_at: string;
  readonly actor: { readonly subject: string; readonly client_id: string; readonly tenant_id: string };
  /** What was done, e.g. `gateway.mode_switched`, `change_request.approved`, `game_config.version_created`. */
  readonly action: string;
  /** What it was done to, e.g. `game_config:tenant-a:starburst:eu`, `change_request:<id>`. */
  readonly subject: string;
  readonly before: unknown;
  readonly after: unknown;
  readonly reason: string | null;
  readonly trace_id: string | null;
  readonly prev_hash: string;
}

export interface AuditEntry extends AuditEntryContent {
  readonly hash: string;
}

/** Where a chain ends: what a checkpoint publishes and the next append links to. */
export interface ChainHead {
  readonly sequence: number;
  readonly hash: string;
}

export const EMPTY_CHAIN: ChainHead = { sequence: 0, hash: GENESIS_HASH };

/** `SHA-256(prev_hash ‖ canonical JSON of the entry)`, hex; canonical JSON per RFC 8785 (JCS). */
export function hashOf(content: AuditEntryContent): string {
  const canonical = canonicalize(content);
  if (canonical === undefined) throw new Error('an audit entry must be serialisable as JSON');
  return createHash('sha256').update(content.prev_hash).update(canonical).digest('hex');
}

/** The entry that follows `head`: the next sequence, linked to the head's hash. */
export function nextEntry(
  head: ChainHead,
  content: Omit<AuditEntryContent, 'sequence' | 'prev_hash'>,
): AuditEntry {
  const linked: AuditEntryContent = { ...content, sequence: head.sequence + 1, prev_hash: head.hash };
  return { ...linked, hash: hashOf(linked) };
}

export type ChainProblem =
  'sequence_gap' | 'prev_hash_mismatch' | 'hash_mismatch' | 'tail_missing' | 'checkpoint_mismatch';

export interface ChainVerdict {
  readonly ok: boolean;
  /** The last entry that verified (the head when `ok`). */
  readonly head: ChainHead;
  readonly entries: number;
  /** The first broken link, when not `ok`. */
  readonly broken?: { readonly sequence: number; readonly problem: ChainProblem; readonly detail: string };
}

/**
 * Recomputes a chain, entries in sequence order from the first, and names the first broken link: a missing
 * sequence, an entry not linked to its predecessor, or an entry whose content no longer matches its hash.
 */
export function verifyChain(entries: Iterable<AuditEntry>, from: ChainHead = EMPTY_CHAIN): ChainVerdict {
  let head = from;
  let count = 0;
  for (const entry of entries) {
    const broken = brokenLink(head, entry);
    if (broken) return { ok: false, head, entries: count, broken };
    head = { sequence: entry.sequence, hash: entry.hash };
    count += 1;
  }
  return { ok: true, head, entries: count };
}

/**
 * A published checkpoint against the verified chain: a chain that ends before the checkpoint lost its tail
 * (deleted rows cannot hide from a head published outside the database), and an entry whose hash differs from
 * the one published was rewritten together with its successors.
 */
export function checkAgainstCheckpoint(
  verdict: ChainVerdict,
  checkpoint: ChainHead,
  hashAtCheckpoint: string | undefined,
  /** What names the head, for the report: a published checkpoint, or the journal's own head row. */
  source = 'checkpoint',
): ChainVerdict {
  if (!verdict.ok) return verdict;
  if (checkpoint.sequence > verdict.head.sequence) {
    return {
      ...verdict,
      ok: false,
      broken: {
        sequence: verdict.head.sequence + 1,
        problem: 'tail_missing',
        detail: `the chain ends at ${verdict.head.sequence} but the ${source} names entry ${checkpoint.sequence}`,
      },
    };
  }
  if (checkpoint.sequence > 0 && hashAtCheckpoint !== checkpoint.hash) {
    return {
      ...verdict,
      ok: false,
      broken: {
        sequence: checkpoint.sequence,
        problem: 'checkpoint_mismatch',
        detail: `entry ${checkpoint.sequence} hashes to ${hashAtCheckpoint} but the ${source} names ${checkpoint.hash}`,
      },
    };
  }
  return verdict;
}

function brokenLink(head: ChainHead, entry: AuditEntry): ChainVerdict['broken'] {
  if (entry.sequence !== head.sequence + 1) {
    return {
      sequence: head.sequence + 1,
      problem: 'sequence_gap',
      detail: `expected entry ${head.sequence + 1}, found ${entry.sequence}`,
    };
  }
  if (entry.prev_hash !== head.hash) {
    return {
      sequence: entry.sequence,
      problem: 'prev_hash_mismatch',
      detail: `prev_hash ${entry.prev_hash} is not the hash ${head.hash} of entry ${head.sequence}`,
    };
  }
  const { hash, ...content } = entry;
  const recomputed = hashOf(content);
  // eslint-disable-next-line security/detect-possible-timing-attacks -- compares two public hashes of the audit chain, no secret
  if (recomputed !== hash) {
    return {
      sequence: entry.sequence,
      problem: 'hash_mismatch',
      detail: `stored hash ${hash}, content hashes to ${recomputed}`,
    };
  }
  return undefined;
}
