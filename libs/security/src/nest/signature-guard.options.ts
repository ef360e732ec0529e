import { type Type } from '@nestjs/common';

/** Injection token of `SignatureGuardOptions`. */
export const SIGNATURE_GUARD_OPTIONS = Symbol('SIGNATURE_GUARD_OPTIONS');

export interface SignatureGuardOptions {
  readonly maxSkewMs: number;
  /** Controllers served without a signature although they carry no `@PublicRoute()` (other libraries' ones). */
  readonly publicControllers: readonly Type[];
  /** Server time in unix milliseconds. */
  readonly now: () => number;
}
