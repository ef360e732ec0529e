import { type z } from 'zod';

import { PitbossError } from '@pitboss/contracts';

/** The parsed body, or INVALID_REQUEST listing every offending field path (`amount.minor_units`). */
export function validate<T extends z.ZodTypeAny>(schema: T, body: unknown): z.infer<T> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const fields = result.error.issues.map((issue) => ({
    path: issue.path.length === 0 ? '(body)' : issue.path.join('.'),
    problem: issue.message,
  }));
  throw new PitbossError(
    'INVALID_REQUEST',
    `invalid request: ${fields.map((field) => `${field.path}: ${field.problem}`).join('; ')}`,
    { fields },
  );
}
