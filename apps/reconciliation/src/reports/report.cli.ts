import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { createPool } from '@pitboss/event-store';
import { infrastructureConfig, serviceSchema } from '@pitboss/platform-config';
import { dayWindow, previousUtcDay } from '@pitboss/reconciliation-domain';

import { tenantsInWindow } from '../run/mirror-queries';
import { ggrCsv } from './ggr-csv';
import { ggrPdf } from './ggr-pdf';
import { ggrReportOf } from './ggr-queries';

/**
 * `npm run recon:report -- [--date YYYY-MM-DD] [--tenant T]… [--out DIR]`: the day's GGR / NGR report (default
 * yesterday, every tenant with movements) as `ggr-<tenant>-<date>.csv` and `.pdf` in DIR (default reports/).
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      date: { type: 'string' },
      tenant: { type: 'string', multiple: true },
      out: { type: 'string', default: 'reports' },
    },
  });
  const date = values.date ?? previousUtcDay(Date.now());
  const window = dayWindow(date);
  const pool = createPool({
    databaseUrl: infrastructureConfig().databaseUrl,
    schema: serviceSchema('reconciliation'),
    maxConnections: 2,
    applicationName: 'recon-report',
  });
  try {
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- the operator's own --out
    mkdirSync(values.out, { recursive: true });
    for (const tenantId of values.tenant ?? (await tenantsInWindow(pool, window))) {
      const report = await ggrReportOf(pool, tenantId, date);
      const base = join(values.out, `ggr-${tenantId}-${date}`);
      // eslint-disable-next-line security/detect-non-literal-fs-filename -- under the operator's own --out
      writeFileSync(`${base}.csv`, ggrCsv(report));
      // eslint-disable-next-line security/detect-non-literal-fs-filename -- under the operator's own --out
      writeFileSync(`${base}.pdf`, await ggrPdf(report));
      console.log(JSON.stringify({ tenant_id: tenantId, date, csv: `${base}.csv`, pdf: `${base}.pdf` }));
    }
  } finally {
    await pool.end();
  }
}

main().catch((error: unknown) => {
  console.error(`recon:report: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
