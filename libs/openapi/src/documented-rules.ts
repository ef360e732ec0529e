import { type z, ZodFirstPartyTypeKind as Kind } from 'zod';

// The zod checks @asteasolutions/zod-to-openapi writes into the document; it drops the others silently
// (`multipleOf`, a second regex, regex flags, `startsWith`, refinements…), which would document a request
// schema as more permissive than it is.
const STRING_CHECKS = new Set(['min', 'max', 'length', 'regex', 'uuid', 'email', 'url', 'date', 'datetime']);
const NUMBER_CHECKS = new Set(['int', 'min', 'max', 'finite']);

/**
 * The validation rules of `schema` the generated document would not show, as `path: rule` (empty when the
 * document shows them all). A unit test per service keeps its request schemas at `[]`; a rule the generator
 * cannot express is documented in words with `.describe()` or `.openapi({ description })` on that schema.
 */
export function undocumentedRules(schema: z.ZodTypeAny, path = '(body)'): string[] {
  const def = schema._def as z.ZodTypeDef & { typeName: Kind };
  // `.describe()` or any `.openapi({...})` metadata: the author wrote the rule into the document.
  const described = schema.description !== undefined || Object.keys(def.openapi?.metadata ?? {}).length > 0;
  switch (def.typeName) {
    case Kind.ZodObject:
      return Object.entries((schema as z.AnyZodObject).shape as z.ZodRawShape).flatMap(([name, field]) =>
        undocumentedRules(field, path === '(body)' ? name : `${path}.${name}`),
      );
    case Kind.ZodString:
      return stringGaps((schema as z.ZodString)._def.checks).map((gap) => `${path}: ${gap}`);
    case Kind.ZodNumber:
      return numberGaps((schema as z.ZodNumber)._def.checks).map((gap) => `${path}: ${gap}`);
    case Kind.ZodOptional:
    case Kind.ZodNullable:
      return undocumentedRules((schema as z.ZodOptional<z.ZodTypeAny>).unwrap(), path);
    case Kind.ZodArray:
      return undocumentedRules((schema as z.ZodArray<z.ZodTypeAny>).element, `${path}[]`);
    case Kind.ZodUnion:
      return (schema as z.ZodUnion<[z.ZodTypeAny]>).options.flatMap((option) =>
        undocumentedRules(option, path),
      );
    case Kind.ZodBoolean:
    case Kind.ZodEnum:
    case Kind.ZodLiteral:
      return [];
    case Kind.ZodEffects:
      // A refinement or transform: the generator documents only the schema inside it.
      return described ? [] : [`${path}: refinement (describe it)`];
    default:
      return described ? [] : [`${path}: ${def.typeName} (describe it)`];
  }
}

function stringGaps(checks: z.ZodStringDef['checks']): string[] {
  const gaps: string[] = checks.filter((check) => !STRING_CHECKS.has(check.kind)).map((check) => check.kind);
  const regexes = checks.flatMap((check) => (check.kind === 'regex' ? [check.regex] : []));
  if (regexes.length > 1) gaps.push('a second regex');
  if (regexes.some((regex) => regex.flags !== '')) gaps.push('regex flags');
  return gaps;
}

function numberGaps(checks: z.ZodNumberDef['checks']): string[] {
  const gaps: string[] = checks.filter((check) => !NUMBER_CHECKS.has(check.kind)).map((check) => check.kind);
  // The generator keeps the last bound of each side, so a looser bound after a tighter one would win.
  for (const side of ['min', 'max'] as const) {
    const bounds = checks.flatMap((check) => (check.kind === side ? [check] : []));
    const last = bounds.at(-1);
    const sign = side === 'min' ? 1 : -1;
    const looser = bounds.some(
      (bound) =>
        last !== undefined &&
        ((bound.value - last.value) * sign > 0 ||
          (bound.value === last.value && !bound.inclusive && last.inclusive)),
    );
    if (looser) gaps.push(`${side} bounds whose last is not the tightest`);
  }
  return gaps;
}
