import { createHash } from 'node:crypto';

import {
  type AuditEntry,
  checkAgainstCheckpoint,
  EMPTY_CHAIN,
  GENESIS_HASH,
  hashOf,
  nextEntry,
  verifyChain,
} from './audit-chain';

function chainOf(length: number): AuditEntry[] {
  const entries: AuditEntry[] = [];
  let head = EMPTY_CHAIN;
  for (let i = 1; i <= length; i += 1) {
    const entry = nextEntry(head, {
      occurred_at: `2026-12-02T08:00:0${i}.000Z`,
      actor: { subject: 'alice', client_id: 'ops', tenant_id: 'brand-a' },
      action: 'gateway.mode_switched',
      subject: 'gateway_mode',
      before: { no_new_sessions: i % 2 === 0 },
      after: { no_new_sessions: i % 2 === 1 },
      reason: `switch ${i}`,
      trace_id: null,
    });
    entries.push(entry);
    head = { sequence: entry.sequence, hash: entry.hash };
  }
  return entries;
}

describe(hashOf.name, () => {
  it('is SHA-256 of prev_hash followed by the RFC 8785 canonical JSON of the entry, whatever the key order', () => {
    const content = {
      sequence: 1,
      occurred_at: '2026-12-02T08:00:00.000Z',
      actor: { tenant_id: 't', subject: 's', client_id: 'c' },
      action: 'a',
      subject: 'x',
      before: null,
      after: { b: 2, a: 1 },
      reason: null,
      trace_id: null,
      prev_hash: GENESIS_HASH,
    };
    const canonical =
      '{"action":"a","actor":{"client_id":"c","subject":"s","tenant_id":"t"},"after":{"a":1,"b":2},"before":null,' +
      `"occurred_at":"2026-12-02T08:00:00.000Z","prev_hash":"${GENESIS_HASH}","reason":null,"sequence":1,"subject":"x","trace_id":null}`;
    expect(hashOf(content)).toBe(
      createHash('sha256')
        .update(GENESIS_HASH + canonical)
        .digest('hex'),
    );
  });
});

describe(verifyChain.name, () => {
  it('Given an untouched chain, Then it verifies up to its head', () => {
    const entries = chainOf(4);
    expect(verifyChain(entries)).toEqual({
      ok: true,
      entries: 4,
      head: { sequence: 4, hash: entries[3]!.hash },
    });
  });

  it('Given an entry whose content was edited, Then the first broken link is that entry (hash mismatch)', () => {
    const entries = chainOf(4);
    entries[1] = { ...entries[1]!, reason: 'edited' };
    expect(verifyChain(entries).broken).toMatchObject({ sequence: 2, problem: 'hash_mismatch' });
  });

  it('Given an entry rehashed after an edit, Then its successor no longer links to it', () => {
    const entries = chainOf(4);
    const { hash: _old, ...content } = { ...entries[1]!, reason: 'edited' };
    entries[1] = { ...content, hash: hashOf(content) };
    expect(verifyChain(entries).broken).toMatchObject({ sequence: 3, problem: 'prev_hash_mismatch' });
  });

  it('Given a deleted entry in the middle, Then a sequence gap', () => {
    const entries = chainOf(4);
    entries.splice(1, 1);
    expect(verifyChain(entries).broken).toMatchObject({ sequence: 2, problem: 'sequence_gap' });
  });
});

describe(checkAgainstCheckpoint.name, () => {
  it('Given a chain whose tail was deleted, When checked against the last checkpoint, Then tail_missing', () => {
    const entries = chainOf(4);
    const checkpoint = { sequence: 4, hash: entries[3]!.hash };
    const verdict = verifyChain(entries.slice(0, 3));
    expect(verdict.ok).toBe(true);
    expect(checkAgainstCheckpoint(verdict, checkpoint, undefined).broken).toMatchObject({
      sequence: 4,
      problem: 'tail_missing',
    });
  });

  it('Given a chain rewritten from an entry before the checkpoint, Then checkpoint_mismatch', () => {
    const entries = chainOf(3);
    const checkpoint = { sequence: 2, hash: 'f'.repeat(64) };
    const verdict = verifyChain(entries);
    expect(checkAgainstCheckpoint(verdict, checkpoint, entries[1]!.hash).broken).toMatchObject({
      sequence: 2,
      problem: 'checkpoint_mismatch',
    });
  });

  it('Given a chain that grew past the checkpoint, Then it verifies', () => {
    const entries = chainOf(3);
    const verdict = verifyChain(entries);
    expect(
      checkAgainstCheckpoint(verdict, { sequence: 2, hash: entries[1]!.hash }, entries[1]!.hash).ok,
    ).toBe(true);
  });
});
