type Level = 'log' | 'warn' | 'error';

/** One JSON object per line, like the services' logs. */
export function sandboxLog(level: Level, message: string, fields: Record<string, unknown> = {}): void {
  const line = JSON.stringify({
    level,
    timestamp: new Date().toISOString(),
    service: 'wallet-sandbox',
    message,
    ...fields,
  });
  if (level === 'log') process.stdout.write(`${line}\n`);
  else process.stderr.write(`${line}\n`);
}
