/**
 * bench:grants' ledger check, pure: the grants bonus-grant holds, the answers its API gave and the wallet
 * sandbox's ledger, against what the workload sent. Three verdicts: nothing lost (every accepted grant credited
 * exactly once, every deposit granted by the deposit offer), nothing duplicated (one grant per key, per deposit
 * and offer, one credit per grant) and nothing over budget (the budget offer's credits within its budget and its
 * max grants). No I/O: unit-tested.
 */

export interface GrantRow {
  readonly grantId: string;
  readonly offerId: string;
  readonly trigger: string;
  readonly triggerRef: string;
  readonly amountMinor: number;
  readonly status: string;
}

/** One answer of `POST /v1/bonus/grants`: 201 / 200 name the grant; the rest carry an error code. */
export interface ApiAnswer {
  readonly key: string;
  readonly status: number;
  readonly grantId?: string;
  readonly code?: string;
}

export interface LedgerEntry {
  readonly transactionId: string;
  readonly kind: string;
  readonly grantId: string | null;
  readonly amountMinor: number;
}

export interface LedgerCheckInput {
  readonly tenantId: string;
  readonly grants: readonly GrantRow[];
  readonly answers: readonly ApiAnswer[];
  /** Every distinct deposit id the workload published. */
  readonly depositIds: readonly string[];
  /** The offer every deposit must yield exactly one grant of (no limits). */
  readonly depositOfferId: string;
  readonly ledger: readonly LedgerEntry[];
  readonly budget: { readonly offerId: string; readonly budgetMinor: number; readonly maxGrants: number };
}

export interface LedgerCheck {
  readonly ok: boolean;
  readonly lost: readonly string[];
  readonly duplicated: readonly string[];
  readonly overBudget: readonly string[];
  /** Grants credited exactly once. */
  readonly credited: number;
  readonly budget: {
    readonly grants: number;
    readonly creditedMinor: number;
    readonly budgetMinor: number;
    readonly maxGrants: number;
  };
}

/** The sandbox's transaction id of a grant's credit (walletKeys.grantCredit). */
export const creditKey = (tenantId: string, grantId: string) => `grant:${tenantId}:${grantId}:credit`;

const accepted = (answer: ApiAnswer) =>
  (answer.status === 200 || answer.status === 201) && answer.grantId !== undefined;

export function checkGrantLedger(input: LedgerCheckInput): LedgerCheck {
  const lost: string[] = [];
  const duplicated: string[] = [];
  const overBudget: string[] = [];
  const grants = new Map(input.grants.map((grant) => [grant.grantId, grant]));
  const credits = new Map<string, LedgerEntry[]>();
  for (const entry of input.ledger.filter((e) => e.kind === 'credit')) {
    credits.set(entry.transactionId, [...(credits.get(entry.transactionId) ?? []), entry]);
  }

  let credited = 0;
  const creditedMinor = new Map<string, number>();
  for (const grant of input.grants) {
    const entries = credits.get(creditKey(input.tenantId, grant.grantId)) ?? [];
    if (entries.length > 1) duplicated.push(`grant ${grant.grantId} credited ${entries.length} times`);
    if (entries.length === 0) lost.push(`grant ${grant.grantId} (${grant.status}) never credited`);
    else if (entries[0]!.amountMinor !== grant.amountMinor)
      lost.push(`grant ${grant.grantId} credited ${entries[0]!.amountMinor}, grants ${grant.amountMinor}`);
    else if (grant.status !== 'active')
      lost.push(`grant ${grant.grantId} credited but ${grant.status}, not active`);
    if (entries.length === 1) credited += 1;
    creditedMinor.set(
      grant.grantId,
      entries.reduce((sum, entry) => sum + entry.amountMinor, 0),
    );
  }
  const grantKeys = new Set(input.grants.map((grant) => creditKey(input.tenantId, grant.grantId)));
  for (const [key, entries] of credits)
    if (!grantKeys.has(key))
      duplicated.push(`credit ${key} (${entries.length}×) of no grant bonus-grant holds`);

  const byKey = new Map<string, Set<string>>();
  for (const answer of input.answers.filter(accepted)) {
    byKey.set(answer.key, (byKey.get(answer.key) ?? new Set()).add(answer.grantId!));
    if (!grants.has(answer.grantId!))
      lost.push(`answer ${answer.status} for key ${answer.key}: grant ${answer.grantId} is not held`);
  }
  for (const [key, ids] of byKey)
    if (ids.size > 1) duplicated.push(`key ${key} answered with ${ids.size} grants: ${[...ids].join(', ')}`);
  const answered = new Set([...byKey.values()].flatMap((ids) => [...ids]));
  for (const grant of input.grants)
    if (grant.trigger === 'api' && !answered.has(grant.grantId))
      duplicated.push(`api grant ${grant.grantId} named by no answer (a second grant for a key?)`);

  const byTrigger = new Map<string, number>();
  for (const grant of input.grants.filter((g) => g.triggerRef !== '')) {
    const key = `${grant.offerId}/${grant.trigger}/${grant.triggerRef}`;
    byTrigger.set(key, (byTrigger.get(key) ?? 0) + 1);
  }
  for (const [key, count] of byTrigger) if (count > 1) duplicated.push(`${count} grants for ${key}`);
  for (const depositId of new Set(input.depositIds))
    if (!byTrigger.has(`${input.depositOfferId}/deposit/${depositId}`))
      lost.push(`deposit ${depositId}: no grant of offer ${input.depositOfferId}`);

  const budgetGrants = input.grants.filter((grant) => grant.offerId === input.budget.offerId);
  const budgetMinor = budgetGrants.reduce((sum, grant) => sum + (creditedMinor.get(grant.grantId) ?? 0), 0);
  if (budgetMinor > input.budget.budgetMinor)
    overBudget.push(
      `offer ${input.budget.offerId}: ${budgetMinor} credited, budget ${input.budget.budgetMinor}`,
    );
  if (budgetGrants.length > input.budget.maxGrants)
    overBudget.push(
      `offer ${input.budget.offerId}: ${budgetGrants.length} grants, max_grants ${input.budget.maxGrants}`,
    );

  return {
    ok: lost.length === 0 && duplicated.length === 0 && overBudget.length === 0,
    lost,
    duplicated,
    overBudget,
    credited,
    budget: {
      grants: budgetGrants.length,
      creditedMinor: budgetMinor,
      budgetMinor: input.budget.budgetMinor,
      maxGrants: input.budget.maxGrants,
    },
  };
}
