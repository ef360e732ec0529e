import { Inject, Injectable } from '@nestjs/common';
import { Counter, type Registry } from 'prom-client';

import { METRICS_REGISTRY } from '@pitboss/observability';

/** Entitlements granted by kind, and refusals by catalogue code (docs/promo.md). */
@Injectable()
export class EntitlementMetrics {
  private readonly grants: Counter<'tenant' | 'kind'>;
  private readonly refusals: Counter<'tenant' | 'code'>;

  constructor(@Inject(METRICS_REGISTRY) registry: Registry) {
    this.grants = new Counter({
      name: 'bonus_grant_entitlements_granted_total',
      help: 'Entitlements granted, by kind (free_spins, free_bet)',
      labelNames: ['tenant', 'kind'],
      registers: [registry],
    });
    this.refusals = new Counter({
      name: 'bonus_grant_entitlement_refusals_total',
      help: 'Entitlement requests refused, by catalogue code',
      labelNames: ['tenant', 'code'],
      registers: [registry],
    });
  }

  granted(tenant: string, kind: string): void {
    this.grants.inc({ tenant, kind });
  }

  refused(tenant: string, code: string): void {
    this.refusals.inc({ tenant, code });
  }
}
