export interface ObservabilityOptions {
  /** The service's name (`bet-gateway`, …): the `service` label on every metric and the `service` field of logs. */
  readonly serviceName: string;
}

/** Nest injection token of the `ObservabilityOptions` given to `ObservabilityModule.forRoot`. */
export const OBSERVABILITY_OPTIONS = Symbol('OBSERVABILITY_OPTIONS');
