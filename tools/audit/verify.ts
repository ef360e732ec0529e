import { parseArgs } from 'node:util';

import { verifyAuditSchema } from '@pitboss/governance';

const USAGE =
  'usage: npm run audit:verify -- [--schema <schema>] [--tenant <tenant>] [--no-checkpoint] [--json]';

/**
 * `npm run audit:verify`: exit 0 when the chain verifies (and reaches the latest published checkpoint), 1 when a
 * link is broken or the tail is missing, 2 when the check could not run (bad arguments, Postgres or Kafka down).
 */
async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      schema: { type: 'string' },
      tenant: { type: 'string' },
      'no-checkpoint': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const report = await verifyAuditSchema({
    ...(values.schema === undefined ? {} : { schema: values.schema }),
    ...(values.tenant === undefined ? {} : { tenant: values.tenant }),
    checkpoint: !values['no-checkpoint'],
  });
  if (values.json) {
    const { lines: _lines, ...rest } = report;
    console.log(JSON.stringify(rest));
  } else {
    for (const line of report.lines) console.log(line);
  }
  return report.exitCode;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`audit:verify: ${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    process.exit(2);
  },
);
