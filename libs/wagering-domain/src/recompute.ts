import { type ContributionSchemaVersion } from './contribution-schema';
import { decideWagering } from './progress.decide';
import { type BetConsidered, type WageringEvent } from './progress.events';
import { evolveWagering, initialWageringState, type WageringState } from './progress.state';
import { type WageringTerms, type ZeroReason } from './wagering-terms';

export interface RecomputedBet {
  readonly betId: string;
  readonly actual: {
    readonly rule: string;
    readonly schemaVersion: number | null;
    readonly contributionMinor: number;
    readonly reason: ZeroReason | null;
  };
  readonly recomputed: {
    readonly rule: string;
    readonly schemaVersion: number | null;
    readonly contributionMinor: number;
    readonly reason: ZeroReason | null;
  };
  readonly differenceMinor: number;
}

export interface Recomputation {
  readonly actualContributedMinor: number;
  readonly recomputedContributedMinor: number;
  readonly differenceMinor: number;
  /** Whether the grant would have completed under the other version. */
  readonly wouldComplete: boolean;
  readonly bets: readonly RecomputedBet[];
}

/**
 * A dry run: the grant's settled bets, in the order they were considered (with their rollbacks), replayed through
 * the same decider under another schema version. Nothing is recorded; the answer is the difference per bet.
 */
export function recompute(
  terms: WageringTerms,
  history: readonly WageringEvent[],
  schema: ContributionSchemaVersion | null,
): Recomputation {
  let actual = initialWageringState();
  let replay: WageringState = decideWagering({ type: 'StartWagering', terms }, initialWageringState()).reduce(
    evolveWagering,
    initialWageringState(),
  );
  const apply = (state: WageringState, events: readonly WageringEvent[]) =>
    events.reduce(evolveWagering, state);
  for (const event of history) {
    actual = evolveWagering(actual, event);
    if (event.type === 'wagering.bet_considered') {
      const { bet, feeds_this_grant } = event.data;
      const command = { type: 'ConsiderSettledBet', bet, feedsThisGrant: feeds_this_grant, schema } as const;
      replay = apply(replay, decideWagering(command, reopened(replay)));
    } else if (event.type === 'wagering.bet_rolled_back') {
      replay = apply(
        replay,
        decideWagering({ type: 'ReverseRolledBackBet', betId: event.data.bet_id }, replay),
      );
    }
  }
  const bets = [...actual.receipts.values()].map((receipt): RecomputedBet => {
    const other = replay.receipts.get(receipt.considered.bet.betId);
    const view = (considered: BetConsidered['data'] | undefined, rolledBack: boolean) => ({
      rule: considered?.rule ?? 'none',
      schemaVersion: considered?.schema_version ?? null,
      contributionMinor: rolledBack ? 0 : (considered?.contribution.minor_units ?? 0),
      reason: rolledBack ? ('ROLLED_BACK' as const) : (considered?.reason ?? null),
    });
    const a = view(receipt.considered, receipt.rolledBack);
    const r = view(other?.considered, other?.rolledBack ?? false);
    return {
      betId: receipt.considered.bet.betId,
      actual: a,
      recomputed: r,
      differenceMinor: r.contributionMinor - a.contributionMinor,
    };
  });
  return {
    actualContributedMinor: actual.contributedMinor,
    recomputedContributedMinor: replay.contributedMinor,
    differenceMinor: replay.contributedMinor - actual.contributedMinor,
    wouldComplete: replay.status === 'completed',
    bets,
  };
}

/**
 * The replay keeps considering bets after it would have completed, so every bet has a recomputed receipt to
 * compare (the cap still holds: a completed replay has nothing left to add).
 */
function reopened(state: WageringState): WageringState {
  return state.status === 'completed' ? { ...state, status: 'active' } : state;
}
