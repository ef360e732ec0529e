/** Integer minor units and an ISO-4217 code (money invariant 5), as on the wire. */
export interface Money {
  readonly minor_units: number;
  readonly currency: string;
}
