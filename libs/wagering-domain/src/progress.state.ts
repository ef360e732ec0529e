import { type BetConsidered, type WageringEvent } from './progress.events';
import { type WageringTerms } from './wagering-terms';

/** `active`: counting; `completed`: the requirement is met (bonus-grant converts); `ended`: the grant ended. */
export type WageringStatus = 'none' | 'active' | 'completed' | 'ended';

export interface Receipt {
  readonly considered: BetConsidered['data'];
  readonly rolledBack: boolean;
}

export interface WageringState {
  readonly status: WageringStatus;
  readonly terms: WageringTerms | null;
  readonly contributedMinor: number;
  /** Every settled bet considered, by bet id, in the order considered. */
  readonly receipts: ReadonlyMap<string, Receipt>;
  readonly endedReason: string | null;
}

export function initialWageringState(): WageringState {
  return { status: 'none', terms: null, contributedMinor: 0, receipts: new Map(), endedReason: null };
}

export function evolveWagering(state: WageringState, event: WageringEvent): WageringState {
  switch (event.type) {
    case 'wagering.started':
      return { ...state, status: 'active', terms: event.data.terms };
    case 'wagering.bet_considered': {
      const receipts = new Map(state.receipts);
      receipts.set(event.data.bet.betId, { considered: event.data, rolledBack: false });
      return { ...state, receipts };
    }
    case 'wagering.progressed':
      return { ...state, contributedMinor: event.data.contributed.minor_units };
    case 'wagering.completed':
      return { ...state, status: 'completed' };
    case 'wagering.bet_rolled_back': {
      const receipt = state.receipts.get(event.data.bet_id);
      if (receipt === undefined) return state;
      const receipts = new Map(state.receipts);
      receipts.set(event.data.bet_id, { ...receipt, rolledBack: true });
      return { ...state, receipts };
    }
    case 'wagering.reversed':
      return { ...state, contributedMinor: event.data.contributed.minor_units };
    case 'wagering.ended':
      return { ...state, status: 'ended', endedReason: event.data.reason };
  }
}

export function foldWagering(events: readonly WageringEvent[]): WageringState {
  return events.reduce(evolveWagering, initialWageringState());
}

/** The seed's progress shape; pct in basis points of the requirement (10000 = done), floored. */
export function progressOf(state: WageringState): {
  readonly requiredMinor: number;
  readonly contributedMinor: number;
  readonly remainingMinor: number;
  readonly pctBp: number;
} {
  const requiredMinor = state.terms?.required.minor_units ?? 0;
  const contributedMinor = state.contributedMinor;
  const remainingMinor = Math.max(0, requiredMinor - contributedMinor);
  const pctBp = requiredMinor === 0 ? 10_000 : Math.floor((contributedMinor * 10_000) / requiredMinor);
  return { requiredMinor, contributedMinor, remainingMinor, pctBp };
}
