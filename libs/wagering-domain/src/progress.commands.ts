import { type ContributionSchemaVersion } from './contribution-schema';
import { type SettledBetFacts, type WageringTerms } from './wagering-terms';

export interface StartWagering {
  readonly type: 'StartWagering';
  readonly terms: WageringTerms;
}

export interface ConsiderSettledBet {
  readonly type: 'ConsiderSettledBet';
  readonly bet: SettledBetFacts;
  /** The bet's routing (see `feedingGrantOf`): false when it feeds another grant of the player. */
  readonly feedsThisGrant: boolean;
  /** The grant's pinned schema version; null when the grant pins none (every stake counts in full). */
  readonly schema: ContributionSchemaVersion | null;
}

export interface ReverseRolledBackBet {
  readonly type: 'ReverseRolledBackBet';
  readonly betId: string;
}

export interface EndWagering {
  readonly type: 'EndWagering';
  readonly reason: string;
}

export type WageringCommand = StartWagering | ConsiderSettledBet | ReverseRolledBackBet | EndWagering;
