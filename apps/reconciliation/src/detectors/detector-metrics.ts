import { Counter, type Registry } from 'prom-client';

import { type Detector } from '@pitboss/reconciliation-domain';

/** `recon_detector_alerts_total{detector,tenant}`: alerts of the continuous detectors (the alert rule's input). */
export class DetectorMetrics {
  private readonly alerts: Counter<'detector' | 'tenant'>;

  constructor(registry: Registry) {
    this.alerts = new Counter({
      name: 'recon_detector_alerts_total',
      help: 'Alerts raised by the reconciliation detectors (unresolved or double settlements, compensated but credited)',
      labelNames: ['detector', 'tenant'],
      registers: [registry],
    });
  }

  alerted(detector: Detector, tenantId: string): void {
    this.alerts.inc({ detector, tenant: tenantId });
  }
}
