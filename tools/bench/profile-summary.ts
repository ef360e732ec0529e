/**
 * Prints, per `.cpuprofile` (Node's `--cpu-prof`, e.g. the fleet's under `FLEET_NODE_ARGS`, README.md), where the
 * process's busy time went by package (cpu-profile.ts). The profile spans the whole process, start-up included.
 *
 *   npx tsx tools/bench/profile-summary.ts [--top N] <file.cpuprofile>...
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

import { type CpuProfile, IDLE, selfTimeByCategory } from './cpu-profile';

const argv = process.argv.slice(2);
const topAt = argv.indexOf('--top');
const top = topAt >= 0 ? Number(argv[topAt + 1]) : 15;
const files = topAt >= 0 ? argv.filter((_, index) => index !== topAt && index !== topAt + 1) : argv;
if (files.length === 0 || !Number.isInteger(top) || top < 1) {
  process.stderr.write('usage: profile-summary.ts [--top N] <file.cpuprofile>...\n');
  process.exit(2);
}
for (const file of files) {
  const totals = selfTimeByCategory(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile);
  const busy = [...totals].filter(([category]) => category !== IDLE).sort((a, b) => b[1] - a[1]);
  const busyMicros = busy.reduce((sum, [, micros]) => sum + micros, 0);
  process.stdout.write(`\n${basename(file)}: ${(busyMicros / 1e6).toFixed(2)} s busy (idle left out)\n`);
  for (const [category, micros] of busy.slice(0, top))
    process.stdout.write(
      `  ${((micros / busyMicros) * 100).toFixed(1).padStart(5)} %  ${(micros / 1e6).toFixed(2).padStart(7)} s  ${category}\n`,
    );
}
