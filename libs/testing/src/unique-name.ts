import { randomBytes } from 'node:crypto';

/** A short unique prefix for a test's topics, subjects, tenants and consumer groups. */
export function uniqueTestPrefix(label = 'test'): string {
  return `${label}-${randomBytes(4).toString('hex')}.`;
}
