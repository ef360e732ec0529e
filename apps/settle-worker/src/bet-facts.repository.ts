import { Injectable } from '@nestjs/common';

import { type QueryResultRow } from 'pg';

import { type WriteInRead, type Transaction } from '@pitboss/event-store';
import { type SagaSubject } from '@pitboss/saga';
import { type SettledBet } from '@pitboss/settlement-domain';

/**
 * `bet_facts`: what `bet.authorized` said of a bet (game, stake, math version) until its settlement saga starts
 * and takes them into its stream. Written and taken in the inbox transaction of the events concerned, so a
 * redelivered event finds the same rows.
 */
@Injectable()
export class BetFactsRepository {
  async record(tx: Transaction, subject: SagaSubject, bet: SettledBet): Promise<void> {
    // The first authorize stands: the gateway refuses a second one with other figures (DUPLICATE_BET_ID).
    await tx.query(
      `INSERT INTO bet_facts (tenant_id, bet_id, game_id, stake_minor_units, currency, math_version)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (tenant_id, bet_id) DO NOTHING`,
      [
        subject.tenantId,
        subject.subjectId,
        bet.gameId,
        bet.stake.minor_units,
        bet.stake.currency,
        bet.mathVersion,
      ],
    );
  }

  /**
   * The removal of the bet's facts, made by the read of the saga starting now (which records them in its own
   * stream), in its statement: `takenFrom` reads what it returned.
   */
  take(subject: SagaSubject): WriteInRead {
    return {
      sql: `DELETE FROM bet_facts WHERE tenant_id = $1 AND bet_id = $2
            RETURNING game_id, stake_minor_units, currency, math_version`,
      parameters: [subject.tenantId, subject.subjectId],
    };
  }

  takenFrom(written: readonly QueryResultRow[]): SettledBet | null {
    const row = written[0];
    if (row === undefined) return null;
    return {
      gameId: row['game_id'],
      // A JSON number (or a string from a bigint column): stakes are safe integers (the contracts' limit).
      stake: { minor_units: Number(row['stake_minor_units']), currency: row['currency'] },
      mathVersion: row['math_version'],
    };
  }
}
