import fs from 'node:fs';
import { StackError } from './errors';
import { sleep } from './ports';

function holderAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Serializes `up`/`down` across processes: several test runs may call stackUp() at once, and two of them must not
 * both start a Kafka on the same port. A lock left by a dead process is taken over.
 */
export async function acquireLock(
  file: string,
  timeoutMs: number,
  log: (line: string) => void,
): Promise<() => void> {
  const deadline = Date.now() + timeoutMs;
  let reported = false;
  for (;;) {
    try {
      const fd = fs.openSync(file, 'wx');
      fs.writeSync(fd, `${process.pid}\n`);
      fs.closeSync(fd);
      return () => fs.rmSync(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = Number(fs.readFileSync(file, { encoding: 'utf8', flag: 'a+' }).trim());
    if (!Number.isSafeInteger(holder) || holder <= 0 || !holderAlive(holder)) {
      // Empty content may mean the holder is between open and write; only a missing or dead holder is stale.
      if (holder > 0 || Date.now() - fs.statSync(file).mtimeMs > 2000) fs.rmSync(file, { force: true });
      await sleep(100);
      continue;
    }
    if (Date.now() > deadline)
      throw new StackError(`another stack command (pid ${holder}) holds ${file}; retry later`);
    if (!reported) log(`stack: waiting for another stack command (pid ${holder}) to finish`);
    reported = true;
    await sleep(500);
  }
}
