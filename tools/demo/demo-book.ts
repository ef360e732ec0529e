import { type AggregatorClient, type Money } from './aggregator-client';
import { ExpectedLedger } from './ledger-check';

export interface DemoPlayer {
  readonly playerId: string;
  readonly currency: string;
  readonly client: AggregatorClient;
  readonly startCash: number;
  sessionId: string | undefined;
  /** The game the session was opened for: every bet under the session is of that game. */
  game: { readonly id: string; readonly type: string } | undefined;
  /** start − authorized stakes + accepted wins + stakes of accepted rollbacks: what the wallet must hold. */
  expectedCash: number;
}

export interface AcceptedSettlement {
  readonly betId: string;
  readonly playerId: string;
  readonly win: Money;
  /** When the gateway's 202 reached us (epoch ms): the start of the settle lag. */
  readonly acceptedAt: number;
}

export interface AcceptedRollback {
  readonly betId: string;
  readonly playerId: string;
  readonly amount: Money;
  readonly acceptedAt: number;
}

/**
 * Everything the run's answers promise, written down as the answers arrive: the report checks the wallet and
 * Kafka against this and nothing else.
 */
export class DemoBook {
  readonly ledger = new ExpectedLedger();
  readonly settlements: AcceptedSettlement[] = [];
  readonly rollbacks: AcceptedRollback[] = [];
  /** Every bet the gateway authorized, for the final status check. */
  readonly authorizedBets: string[] = [];
  readonly authorizeLatencies: number[] = [];
  readonly settleLatencies: number[] = [];
  /** Refusals per call and code, e.g. `authorize INSUFFICIENT_FUNDS`. */
  readonly refusals = new Map<string, number>();
  readonly transports = new Map<string, number>();

  authorized(player: DemoPlayer, betId: string, stake: Money, latencyMs: number): void {
    player.expectedCash -= stake.minor_units;
    this.ledger.add('debit', stake);
    this.authorizedBets.push(betId);
    this.authorizeLatencies.push(latencyMs);
    this.count(this.transports, player.client.transport);
  }

  settled(player: DemoPlayer, betId: string, win: Money, latencyMs: number): void {
    player.expectedCash += win.minor_units;
    // Every settlement is one credit, a loss included (a credit of 0 closes the wallet's round): the fleet runs
    // settle-worker with WALLET_ZERO_WIN_CREDIT=true.
    this.ledger.add('credit', win);
    this.settlements.push({ betId, playerId: player.playerId, win, acceptedAt: Date.now() });
    this.settleLatencies.push(latencyMs);
  }

  rolledBack(player: DemoPlayer, betId: string, stake: Money): void {
    player.expectedCash += stake.minor_units;
    this.ledger.add('rollback', stake);
    this.rollbacks.push({ betId, playerId: player.playerId, amount: stake, acceptedAt: Date.now() });
  }

  refused(call: string, code: string): void {
    this.count(this.refusals, `${call} ${code}`);
  }

  private count(map: Map<string, number>, key: string): void {
    map.set(key, (map.get(key) ?? 0) + 1);
  }
}
