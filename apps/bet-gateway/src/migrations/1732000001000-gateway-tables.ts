import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * bet-gateway's tables beside its event store: sessions, the bet index (bets by round, and the settlement
 * backlog that drives degraded mode), the read models built from promo.grants.v1 and rg.v1, and the mode switch.
 */
export class GatewayTables1732000001000 implements MigrationInterface {
  name = 'GatewayTables1732000001000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE sessions (
        tenant_id text NOT NULL,
        session_id uuid NOT NULL,
        player_id text NOT NULL,
        game_id text NOT NULL,
        currency char(3) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        PRIMARY KEY (tenant_id, session_id)
      );

      -- One row per bet, written in the transaction of every append to the bet's stream.
      CREATE TABLE bet_index (
        tenant_id text NOT NULL,
        bet_id text NOT NULL,
        round_id text,
        player_id text,
        status text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, bet_id)
      );
      CREATE INDEX bet_index_round_idx ON bet_index (tenant_id, round_id);
      CREATE INDEX bet_index_open_idx ON bet_index (status, updated_at)
        WHERE status IN ('debit_pending', 'pending_credit');

      CREATE TABLE player_restrictions (
        tenant_id text NOT NULL,
        player_id text NOT NULL,
        blocked boolean NOT NULL DEFAULT false,
        -- 'infinity' for an indefinite self-exclusion, NULL when none.
        self_excluded_until timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, player_id)
      );

      CREATE TABLE bonus_grants (
        tenant_id text NOT NULL,
        grant_id text NOT NULL,
        player_id text NOT NULL,
        max_bet_minor_units bigint,
        max_bet_currency char(3),
        expires_at timestamptz,
        ended_reason text,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, grant_id)
      );

      CREATE TABLE gateway_mode (
        singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
        no_new_sessions boolean NOT NULL,
        reason text NOT NULL,
        changed_at timestamptz NOT NULL DEFAULT now()
      );
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'DROP TABLE gateway_mode, bonus_grants, player_restrictions, bet_index, sessions',
    );
  }
}
