type Level = 'log' | 'warn' | 'error';

export type SandboxLog = (level: Level, message: string, fields?: Record<string, unknown>) => void;

/** One JSON object per line, like the services' logs. */
export const sandboxLog: SandboxLog = (level, message, fields = {}) => {
  const line = JSON.stringify({
    level,
    timestamp: new Date().toISOString(),
    service: 'wallet-sandbox',
    message,
    ...fields,
  });
  if (level === 'log') process.stdout.write(`${line}\n`);
  else process.stderr.write(`${line}\n`);
};
