import { stackUp } from '../../../tools/stack/src/stack';

/** Brings up the real stack once (a no-op when it already answers) before any integration suite runs. */
export default async function globalSetup(): Promise<void> {
  await stackUp({ log: (line) => process.stdout.write(`[stack] ${line}\n`) });
}
