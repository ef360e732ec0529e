/** Integer minor units of an ISO-4217 currency; the only way the money path expresses an amount. */
export interface Money {
  readonly minor_units: number;
  readonly currency: string;
}

export function sameMoney(a: Money, b: Money): boolean {
  return a.minor_units === b.minor_units && a.currency === b.currency;
}
