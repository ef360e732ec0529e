/** Injection token of the service's `WageringProgressConfig`. */
export const WAGERING_CONFIG = Symbol('WAGERING_CONFIG');
