/**
 * Stream ids of one bet's sagas in settle-worker's event store. The tenant is part of the id: bet ids are the
 * aggregator's and are only unique within a tenant.
 */
export function settlementStreamId(tenantId: string, betId: string): string {
  return `settlement:${tenantId}:${betId}`;
}

export function rollbackStreamId(tenantId: string, betId: string): string {
  return `rollback:${tenantId}:${betId}`;
}
