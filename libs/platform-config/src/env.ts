/** Typed reads of environment variables with documented defaults (see docs/configuration.md). */
export class ConfigError extends Error {}

type Env = Readonly<Record<string, string | undefined>>;

export function envString(name: string, fallback: string, env: Env = process.env): string {
  // eslint-disable-next-line security/detect-object-injection -- name is a variable name from code, read from the environment
  const value = env[name];
  return value === undefined || value === '' ? fallback : value;
}

export function envInt(name: string, fallback: number, env: Env = process.env): number {
  // eslint-disable-next-line security/detect-object-injection -- name is a variable name from code, read from the environment
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value)) throw new ConfigError(`${name} must be an integer, got "${raw}"`);
  return value;
}

export function envList(name: string, fallback: readonly string[], env: Env = process.env): string[] {
  // eslint-disable-next-line security/detect-object-injection -- name is a variable name from code, read from the environment
  const raw = env[name];
  if (raw === undefined || raw === '') return [...fallback];
  return raw
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}
