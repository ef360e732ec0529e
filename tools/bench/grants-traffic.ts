import { randomUUID } from 'node:crypto';

import { type EventPublisher } from '@pitboss/messaging';

import { depositCaptured, type PlatformEvent } from '../platform-simulator/src/platform-events';
import { type ApiAnswer } from './grants-ledger-check';
import { publishEvents, TENANT, type Caller } from './grants-setup';
import { type Action } from './grants-workload';

export interface TrafficTarget {
  readonly url: string;
  readonly publisher: EventPublisher;
  readonly token: (caller: Caller) => Promise<string>;
  readonly runId: string;
  readonly playerIds: readonly string[];
  readonly offers: { readonly deposit: string; readonly budget: string; readonly api: string };
}

/** What the traffic did: when each deposit and key was first sent, every API answer, errors by code. */
export class TrafficTally {
  readonly depositSentAt = new Map<string, number>();
  readonly keySentAt = new Map<string, number>();
  readonly answers: ApiAnswer[] = [];
  readonly errors = new Map<string, number>();
  readonly events = new Map<string, PlatformEvent>();
  /** The distinct deposit events published (a same-event redelivery adds none). */
  readonly eventIds = new Set<string>();
  published = 0;

  count(what: string): void {
    this.errors.set(what, (this.errors.get(what) ?? 0) + 1);
  }

  /** grant id → when the request first answered with it was sent (under its key). */
  apiSentAt(): Map<string, number> {
    const sent = new Map<string, number>();
    for (const answer of this.answers)
      if (answer.grantId !== undefined && !sent.has(answer.grantId))
        sent.set(answer.grantId, this.keySentAt.get(answer.key)!);
    return sent;
  }
}

/** One action: a deposit published on payments.deposits.v1 (as the platform simulator does) or an API grant. */
export async function perform(target: TrafficTarget, action: Action, tally: TrafficTally): Promise<void> {
  const playerId = target.playerIds[action.player]!;
  if (action.kind === 'deposit') {
    const depositId = `${target.runId}-${action.depositId}`;
    const event =
      action.delivery === 'same-event'
        ? tally.events.get(depositId)!
        : depositCaptured({
            tenantId: TENANT,
            playerId,
            depositId,
            minorUnits: action.amountMinor,
            currency: 'EUR',
            capturedAt: new Date(),
          });
    if (action.delivery === 'original') tally.events.set(depositId, event);
    if (!tally.depositSentAt.has(depositId)) tally.depositSentAt.set(depositId, Date.now());
    await publishEvents(target.publisher, [event]);
    tally.eventIds.add(event.envelope.event_id);
    tally.published += 1;
    return;
  }
  const key = `${target.runId}-${action.key}`;
  const body = {
    player_id: playerId,
    offer_id: action.offer === 'budget' ? target.offers.budget : target.offers.api,
    trigger: 'api',
    ...(action.amountMinor === undefined ? {} : { amount_minor: action.amountMinor }),
  };
  const token = await target.token('issuer');
  if (!tally.keySentAt.has(key)) tally.keySentAt.set(key, Date.now());
  const response = await fetch(`${target.url}/v1/bonus/grants`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      'x-idempotency-key': key,
      'x-trace-id': randomUUID(),
    },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  const answer = (await response.json()) as { grant_id?: string; error?: { code?: string } };
  const code = answer.error?.code;
  tally.answers.push({ key, status: response.status, grantId: answer.grant_id, code });
  if (code !== undefined) tally.count(`api ${response.status} ${code}`);
}

/**
 * The actions in order, started at `rate` per second (open loop; 0: back to back), at most `concurrency` in
 * flight; a failed action is counted by its error, never retried.
 */
export async function runTraffic(
  actions: readonly Action[],
  options: { rate: number; concurrency: number; aborted: () => boolean },
  run: (action: Action) => Promise<void>,
  tally: TrafficTally,
): Promise<void> {
  const started = Date.now();
  const inFlight = new Set<Promise<void>>();
  for (const [index, action] of actions.entries()) {
    if (options.aborted()) break;
    if (options.rate > 0) {
      const due = started + (index * 1_000) / options.rate;
      if (due > Date.now()) await new Promise((resolve) => setTimeout(resolve, due - Date.now()));
    }
    while (inFlight.size >= options.concurrency) await Promise.race(inFlight);
    const running: Promise<void> = run(action)
      .catch((error: unknown) => tally.count(`${action.kind} failed: ${String(error).slice(0, 120)}`))
      .finally(() => inFlight.delete(running));
    inFlight.add(running);
  }
  await Promise.all(inFlight);
}
