export class TimeoutError extends Error {
  override readonly name = 'TimeoutError';
}

/** Settles like `work`, or rejects with `TimeoutError` after `timeoutMs`; the timer never keeps the process alive. */
export async function withTimeout<T>(work: Promise<T>, timeoutMs: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(message)), timeoutMs);
    timer.unref();
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
