import { ReconciliationTables1735000001000 } from './migrations/1735000001000-reconciliation-tables';
import { ReconImportsScheduleDetectors1735000002000 } from './migrations/1735000002000-recon-imports-schedule-detectors';

/** Everything reconciliation's schema needs beyond the event store's own tables (service start and migrate job). */
export const reconciliationMigrations = [
  ReconciliationTables1735000001000,
  ReconImportsScheduleDetectors1735000002000,
];
