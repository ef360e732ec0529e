import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The schema's reader role (`<schema>_reader`, NOLOGIN): API reads switch to it for their transaction
 * (`SET LOCAL ROLE`), so row-level security applies to them. The services connect as the tables' owner, which
 * Postgres exempts from RLS unless FORCE ROW LEVEL SECURITY; forcing it would make every cross-tenant job of the
 * owner (the pending-debit sweep, the purge, the backlog count, the projectors) depend on a bypass of its own.
 * Instead the owner keeps writing and running those jobs, and everything a tenant can read through the API is
 * read as a role that cannot see another tenant's rows. The connecting user is made a member so it may SET ROLE.
 * Roles are cluster-wide, hence the schema in the name. Runs last, after every table it grants on exists.
 */
export function tenantReaderRoleMigration(
  timestamp: number,
  tables: readonly string[],
): new () => MigrationInterface {
  const name = `TenantReaderRole${timestamp}`;
  return class TenantReaderRole implements MigrationInterface {
    name = name;

    async up(queryRunner: QueryRunner): Promise<void> {
      await queryRunner.query(`
        DO $$
        DECLARE reader text := current_schema() || '_reader';
        BEGIN
          IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = reader) THEN
            EXECUTE format('CREATE ROLE %I NOLOGIN', reader);
          END IF;
          EXECUTE format('GRANT %I TO %I', reader, current_user);
          EXECUTE format('GRANT USAGE ON SCHEMA %I TO %I', current_schema(), reader);
          EXECUTE format('GRANT SELECT ON %s TO %I', $tables$${tables.join(', ')}$tables$, reader);
        END $$;`);
    }

    async down(queryRunner: QueryRunner): Promise<void> {
      await queryRunner.query(`
        DO $$
        BEGIN
          EXECUTE format('DROP OWNED BY %I', current_schema() || '_reader');
          EXECUTE format('DROP ROLE %I', current_schema() || '_reader');
        END $$;`);
    }
  };
}

/** The reader role of a schema, as `tenantReaderRoleMigration` creates it. */
export function readerRoleOf(schema: string): string {
  return `${schema}_reader`;
}
