import { idempotencyMigrations } from '@pitboss/idempotency';
import { sagaMigrations } from '@pitboss/saga';

import { Grants1736100001000 } from './migrations/1736100001000-grants';

/** The grants' part of bonus-grant's schema: durable timers, idempotency records, the grants index. */
export const grantsMigrations = [...sagaMigrations, ...idempotencyMigrations, Grants1736100001000];
