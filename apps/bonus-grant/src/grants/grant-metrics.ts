import { Inject, Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

import { METRICS_REGISTRY } from '@pitboss/observability';

/** The grants' business metrics (docs/promo.md): rates, latency, refusals by code, liability per offer. */
@Injectable()
export class GrantMetrics {
  private readonly transitions: Counter<'tenant' | 'transition'>;
  private readonly refusals: Counter<'tenant' | 'code'>;
  private readonly issueToCredited: Histogram<'tenant'>;
  private readonly liability: Gauge<'tenant' | 'offer' | 'currency'>;
  private readonly walletCalls: Histogram<'operation' | 'outcome'>;
  private readonly holds: Counter<'tenant' | 'kind' | 'reason'>;
  private readonly money: Counter<'tenant' | 'offer' | 'currency' | 'movement'>;

  constructor(@Inject(METRICS_REGISTRY) registry: Registry) {
    this.transitions = new Counter({
      name: 'bonus_grant_transitions_total',
      help:
        'Grants reaching a state: issued, active, aborted, converted, revoked, expired, failed; ' +
        'conversion_pending_approval, conversion_approved, conversion_rejected (held conversions)',
      labelNames: ['tenant', 'transition'],
      registers: [registry],
    });
    this.refusals = new Counter({
      name: 'bonus_grant_refusals_total',
      help: 'Grant requests refused, by catalogue code (velocity, budget, conflict, eligibility, ...)',
      labelNames: ['tenant', 'code'],
      registers: [registry],
    });
    this.issueToCredited = new Histogram({
      name: 'bonus_grant_issue_to_credited_seconds',
      help: 'From grant.issued to bonus.issued (the wallet credit confirmed)',
      labelNames: ['tenant'],
      buckets: [0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 1, 2, 5, 10, 30],
      registers: [registry],
    });
    this.liability = new Gauge({
      name: 'bonus_grant_outstanding_liability_minor_units',
      help: 'Bonus money granted and not yet ended, per offer (sampled from the grants index)',
      labelNames: ['tenant', 'offer', 'currency'],
      registers: [registry],
    });
    this.walletCalls = new Histogram({
      name: 'bonus_grant_wallet_call_seconds',
      help: 'Wallet calls of the grant saga by operation and outcome',
      labelNames: ['operation', 'outcome'],
      registers: [registry],
    });
    this.holds = new Counter({
      name: 'bonus_grant_four_eyes_holds_total',
      help: 'Grants and conversions held for a second person (kind grant|conversion; reason manual, above_threshold, conversion_velocity)',
      labelNames: ['tenant', 'kind', 'reason'],
      registers: [registry],
    });
    this.money = new Counter({
      name: 'bonus_grant_money_minor_units_total',
      help:
        'Bonus money moved in the wallet per offer, by movement: credited, credit_reversed, converted (into cash: ' +
        'the promo cost), forfeited',
      labelNames: ['tenant', 'offer', 'currency', 'movement'],
      registers: [registry],
    });
  }

  /** Bonus money the wallet moved for an offer, as each step's outcome is recorded: `converted` is the promo's cost. */
  moved(
    tenant: string,
    offer: string,
    movement: 'credited' | 'credit_reversed' | 'converted' | 'forfeited',
    amount: { readonly minor_units: number; readonly currency: string },
  ): void {
    this.money.inc({ tenant, offer, currency: amount.currency, movement }, amount.minor_units);
  }

  held(tenant: string, kind: 'grant' | 'conversion', reason: string): void {
    this.holds.inc({ tenant, kind, reason });
  }

  transition(tenant: string, transition: string): void {
    this.transitions.inc({ tenant, transition });
  }

  refused(tenant: string, code: string): void {
    this.refusals.inc({ tenant, code });
  }

  credited(tenant: string, issuedAt: string | null, at: Date): void {
    this.transition(tenant, 'active');
    if (issuedAt !== null)
      this.issueToCredited.observe({ tenant }, (at.getTime() - Date.parse(issuedAt)) / 1_000);
  }

  walletCall(operation: string, outcome: string, seconds: number): void {
    this.walletCalls.observe({ operation, outcome }, seconds);
  }

  setLiability(rows: readonly { tenant: string; offer: string; currency: string; minor: number }[]): void {
    this.liability.reset();
    for (const row of rows)
      this.liability.set({ tenant: row.tenant, offer: row.offer, currency: row.currency }, row.minor);
  }
}
