/**
 * `credited_as` of `bet.settled`: the wallet credited the win in cash, or settle-worker left it to bonus-grant,
 * which grants it as bonus (no wallet credit). A string on the wire (new values stay readable by old consumers);
 * producers and consumers compare against these.
 */
export const CreditedAs = { Cash: 'cash', BonusGrant: 'bonus_grant' } as const;
