import { type MigrationClass } from '@pitboss/event-store';

import { WalletSandboxTables1733100000000 } from './1733100000000-wallet-sandbox-tables';
import { ReportOverrides1733200000000 } from './1733200000000-report-overrides';
import { BonusFunds1733300000000 } from './1733300000000-bonus-funds';

/** The sandbox's migrations, applied in order at start to its schema. */
export const walletSandboxMigrations: readonly MigrationClass[] = [
  WalletSandboxTables1733100000000,
  ReportOverrides1733200000000,
  BonusFunds1733300000000,
];
