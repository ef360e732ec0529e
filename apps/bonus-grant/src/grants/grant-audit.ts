import { type AuditRecord } from '@pitboss/governance';

/** Who acted: a token's principal, or bonus-grant itself for event-triggered grants and revokes. */
export type GrantActor = AuditRecord['actor'];

export function systemActor(tenantId: string): GrantActor {
  return { subject: 'bonus-grant', clientId: 'bonus-grant', tenantId };
}
