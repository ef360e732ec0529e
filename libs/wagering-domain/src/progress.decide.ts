import {
  contributionOf,
  type ContributionSchemaVersion,
  FULL_CONTRIBUTION_BP,
  type ResolvedRule,
  resolveRule,
} from './contribution-schema';
import { type ConsiderSettledBet, type WageringCommand } from './progress.commands';
import { type WageringEvent } from './progress.events';
import { type WageringState } from './progress.state';
import { type SettledBetFacts, type WageringTerms, ZeroReason } from './wagering-terms';

/** The rule of a grant that pins no contribution schema: every stake counts in full. */
export const NO_SCHEMA_RULE: ResolvedRule = { rule: 'none', pctBp: FULL_CONTRIBUTION_BP };
const EXCLUDED_RULE = 'excluded';

/**
 * A grant's wagering decider. Pure: the caller loads the grant's stream, its pinned schema version and the bet's
 * routing. A bet is considered once per grant (its receipt), progress never exceeds the requirement, completion
 * is emitted once, and nothing counts once the grant completed or ended.
 */
export function decideWagering(command: WageringCommand, state: WageringState): WageringEvent[] {
  switch (command.type) {
    case 'StartWagering':
      return state.status === 'none' ? [{ type: 'wagering.started', data: { terms: command.terms } }] : [];
    case 'ConsiderSettledBet':
      return consider(command, state);
    case 'ReverseRolledBackBet':
      return reverse(command.betId, state);
    case 'EndWagering':
      return state.status === 'none' || state.status === 'ended'
        ? []
        : [{ type: 'wagering.ended', data: { reason: command.reason } }];
  }
}

function consider(command: ConsiderSettledBet, state: WageringState): WageringEvent[] {
  const terms = state.terms;
  if (state.status !== 'active' || terms === null || state.receipts.has(command.bet.betId)) return [];
  const { bet, schema } = command;
  const resolved = ruleFor(terms, schema, bet);
  const reason = zeroReasonOf(terms, command, resolved);
  const remaining = terms.required.minor_units - state.contributedMinor;
  const contribution =
    reason === null ? Math.min(remaining, contributionOf(bet.stake.minor_units, resolved.pctBp)) : 0;
  const money = (minor_units: number) => ({ minor_units, currency: terms.required.currency });
  const events: WageringEvent[] = [
    {
      type: 'wagering.bet_considered',
      data: {
        bet,
        feeds_this_grant: command.feedsThisGrant,
        schema_id: schema?.schemaId ?? null,
        schema_version: schema?.version ?? null,
        rule: resolved.rule,
        pct_bp: resolved.pctBp,
        contribution: money(contribution),
        reason,
      },
    },
  ];
  if (contribution === 0) return events;
  const contributed = state.contributedMinor + contribution;
  events.push({
    type: 'wagering.progressed',
    data: {
      grant_id: terms.grantId,
      bet_id: bet.betId,
      stake: bet.stake,
      contribution: money(contribution),
      contributed: money(contributed),
      required: terms.required,
      schema_id: schema?.schemaId ?? '',
      schema_version: schema?.version ?? 0,
      rule: resolved.rule,
      pct_bp: resolved.pctBp,
    },
  });
  if (contributed >= terms.required.minor_units)
    events.push({
      type: 'wagering.completed',
      data: {
        grant_id: terms.grantId,
        contributed: money(contributed),
        required: terms.required,
        completing_bet_id: bet.betId,
      },
    });
  return events;
}

function ruleFor(
  terms: WageringTerms,
  schema: ContributionSchemaVersion | null,
  bet: SettledBetFacts,
): ResolvedRule {
  if (bet.gameId !== null && terms.excludedGames.includes(bet.gameId))
    return { rule: `${EXCLUDED_RULE}:${bet.gameId}`, pctBp: 0 };
  if (schema === null) return NO_SCHEMA_RULE;
  return resolveRule(schema, bet);
}

/** The first reason, in this order, that the bet adds nothing; null when it contributes. */
function zeroReasonOf(
  terms: WageringTerms,
  { bet, feedsThisGrant }: ConsiderSettledBet,
  resolved: ResolvedRule,
): ZeroReason | null {
  if (!feedsThisGrant) return ZeroReason.OtherGrant;
  const at = Date.parse(bet.at);
  const outsideWindow =
    at < Date.parse(terms.activeFrom) || (terms.windowEndsAt !== null && at > Date.parse(terms.windowEndsAt));
  if (outsideWindow) return ZeroReason.OutsideWindow;
  if (bet.stake.currency !== terms.required.currency) return ZeroReason.CurrencyMismatch;
  if (terms.base === 'bonus' && !fundedByBonus(bet.fundedBy)) return ZeroReason.FundedByCash;
  if (terms.maxBet !== null && bet.stake.minor_units > terms.maxBet.minor_units)
    return ZeroReason.AboveMaxBet;
  if (resolved.pctBp === 0) return ZeroReason.GameExcluded;
  return null;
}

/** A stake the wallet took (partly) from the bonus balance counts toward a bonus-based requirement. */
function fundedByBonus(fundedBy: string | null): boolean {
  return fundedBy === 'bonus' || fundedBy === 'mixed';
}

function reverse(betId: string, state: WageringState): WageringEvent[] {
  const terms = state.terms;
  const receipt = state.receipts.get(betId);
  if (terms === null || state.status === 'ended' || receipt === undefined || receipt.rolledBack) return [];
  const events: WageringEvent[] = [{ type: 'wagering.bet_rolled_back', data: { bet_id: betId } }];
  const taken = receipt.considered.contribution.minor_units;
  if (taken === 0) return events;
  const currency = terms.required.currency;
  events.push({
    type: 'wagering.reversed',
    data: {
      grant_id: terms.grantId,
      bet_id: betId,
      contribution: { minor_units: taken, currency },
      contributed: { minor_units: state.contributedMinor - taken, currency },
    },
  });
  return events;
}
