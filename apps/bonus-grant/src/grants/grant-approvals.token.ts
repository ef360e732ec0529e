/**
 * The grants' own handle on the four-eyes change requests (the same table and audit journal as the
 * `/v1/change-requests` routes): the API and the wagering consumer submit held grants and conversions in their
 * own transactions (`submitIn`), so a held request commits with its idempotency record or inbox row.
 */
export const GRANT_APPROVALS = Symbol('GRANT_APPROVALS');
