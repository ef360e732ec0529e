import { z } from 'zod';

import { PitbossError } from '@pitboss/contracts';
import { DISCREPANCY_CLASSES, dayWindow } from '@pitboss/reconciliation-domain';

const calendarDate = z.string().refine(
  (value) => {
    try {
      dayWindow(value);
      return true;
    } catch {
      return false;
    }
  },
  { message: 'not a calendar date YYYY-MM-DD' },
);
const tenantId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/);

export const listRunsQuerySchema = z
  .object({
    date: calendarDate.optional(),
    tenant: tenantId.optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();

export const runIdSchema = z.string().uuid();

export const discrepanciesQuerySchema = z
  .object({
    class: z.enum(DISCREPANCY_CLASSES).optional(),
    /** The `next_cursor` of the previous page: the last seq it held. */
    cursor: z
      .string()
      .regex(/^\d{1,9}$/)
      .optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(200),
  })
  .strict();

export const importQuerySchema = z
  .object({
    date: calendarDate,
    tenant: tenantId.optional(),
    report: z.enum(['wallet', 'psp']).default('wallet'),
  })
  .strict();

export const ggrReportQuerySchema = z
  .object({
    date: calendarDate,
    tenant: tenantId.optional(),
    format: z.enum(['csv', 'pdf']).default('csv'),
  })
  .strict();

/** The parsed input, or INVALID_REQUEST listing every offending field (`date`, `class`, …). */
export function validate<T extends z.ZodTypeAny>(schema: T, input: unknown, name = '(query)'): z.infer<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const fields = result.error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ path: key, problem: 'unknown parameter' }))
      : [{ path: issue.path.length === 0 ? name : issue.path.join('.'), problem: issue.message }],
  );
  throw new PitbossError(
    'INVALID_REQUEST',
    `invalid request: ${fields.map((field) => `${field.path}: ${field.problem}`).join('; ')}`,
    { fields },
  );
}
