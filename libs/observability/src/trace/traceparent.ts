import { randomBytes } from 'node:crypto';

/** The fields of a W3C Trace Context `traceparent` header (https://www.w3.org/TR/trace-context/#traceparent-header). */
export interface Traceparent {
  readonly traceId: string;
  readonly spanId: string;
  /** Trace flags byte; bit 0 is `sampled`. */
  readonly flags: number;
}

const SUPPORTED_VERSION = '00';
// eslint-disable-next-line security/detect-unsafe-regex -- linear: anchored, fixed-width fields and one trailing star
const FIELDS = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;
const ALL_ZEROS = /^0+$/;

/**
 * Parses a `traceparent` header, or returns undefined when it is invalid: per the spec a receiver then starts a new
 * trace rather than failing the message.
 */
export function parseTraceparent(header: string | undefined): Traceparent | undefined {
  if (header === undefined) return undefined;
  const match = FIELDS.exec(header.trim());
  if (match === null) return undefined;
  const [, version, traceId, spanId, flags, rest] = match;
  if (version === undefined || traceId === undefined || spanId === undefined || flags === undefined)
    return undefined;
  // Version ff is forbidden; version 00 has exactly four fields, while later versions may append more, which a
  // version-00 parser must skip (hence the optional "-..." tail).
  if (version === 'ff') return undefined;
  if (version === SUPPORTED_VERSION && rest !== undefined) return undefined;
  if (ALL_ZEROS.test(traceId) || ALL_ZEROS.test(spanId)) return undefined;
  return { traceId, spanId, flags: Number.parseInt(flags, 16) };
}

/** Formats a version-00 header; always emits version 00, whatever version the input was parsed from. */
export function formatTraceparent({ traceId, spanId, flags }: Traceparent): string {
  return `${SUPPORTED_VERSION}-${traceId}-${spanId}-${(flags & 0xff).toString(16).padStart(2, '0')}`;
}

/** A fresh sampled root trace, for work that starts without an incoming trace context. */
export function newTraceparent(): string {
  return formatTraceparent({ traceId: randomNonZeroHex(16), spanId: randomNonZeroHex(8), flags: 0x01 });
}

/** Same trace, new span: what a consumer writes on the events it emits while handling `parent`. */
export function childTraceparent(parent: string | undefined): string {
  const parsed = parseTraceparent(parent);
  if (parsed === undefined) return newTraceparent();
  return formatTraceparent({ ...parsed, spanId: randomNonZeroHex(8) });
}

/** The trace id an event envelope records (`trace_id`), or undefined for a missing or invalid header. */
export function traceIdOf(traceparent: string | undefined): string | undefined {
  return parseTraceparent(traceparent)?.traceId;
}

function randomNonZeroHex(bytes: number): string {
  for (;;) {
    const hex = randomBytes(bytes).toString('hex');
    if (!ALL_ZEROS.test(hex)) return hex;
  }
}
