import { z } from 'zod';

import { PitbossError } from '@pitboss/contracts';

import { idSchema } from './request-schemas';

/** The parsed body, or INVALID_REQUEST listing every offending field path (`amount.minor_units`). */
export function validate<T extends z.ZodTypeAny>(schema: T, body: unknown): z.infer<T> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const fields = result.error.issues.flatMap((issue) =>
    // An unknown field is the field's own problem, so its path names it (`amount.cents`), not its object.
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ path: pathOf([...issue.path, key]), problem: 'unknown field' }))
      : [{ path: pathOf(issue.path), problem: issue.message }],
  );
  throw new PitbossError(
    'INVALID_REQUEST',
    `invalid request: ${fields.map((field) => `${field.path}: ${field.problem}`).join('; ')}`,
    { fields },
  );
}

function pathOf(path: readonly (string | number)[]): string {
  return path.length === 0 ? '(body)' : path.join('.');
}

/** An id taken from a path or a query message (`GET /v1/bets/{bet_id}`), under the same rules as in bodies. */
export function validateId(field: string, value: unknown): string {
  // eslint-disable-next-line security/detect-object-injection -- field is the route's own parameter name, a literal at every call site
  return validate(z.object({ [field]: idSchema }), { [field]: value })[field] as string;
}
