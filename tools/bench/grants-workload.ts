/**
 * The bench:grants workload, pure: a fixed, seeded list of actions (deposits published on payments.deposits.v1,
 * API grant requests) with redelivered deposits and repeated API keys placed after their originals. No I/O:
 * unit-tested.
 */

export interface WorkloadSettings {
  readonly players: number;
  /** Distinct deposits (each: one grant of the deposit offer, and one of the budget offer while it lasts). */
  readonly deposits: number;
  /** Extra deliveries of deposits already in the list: alternately the same event again and a new event. */
  readonly redeliveries: number;
  /** Distinct API grant requests (trigger `api`), each under its own idempotency key. */
  readonly apiGrants: number;
  /** Extra sends of API requests already in the list: the same key and body again. */
  readonly apiRepeats: number;
  /** Per cent of the API requests that name the budget offer (the rest: the no-deposit offer). */
  readonly budgetSharePct: number;
  readonly seed: number;
}

/** `same-event`: Kafka redelivers the message (same event id); `new-event`: the platform sends it again. */
export type Redelivery = 'original' | 'same-event' | 'new-event';

export type Action =
  | {
      readonly kind: 'deposit';
      readonly depositId: string;
      readonly player: number;
      readonly amountMinor: number;
      readonly delivery: Redelivery;
    }
  | {
      readonly kind: 'api';
      /** The idempotency key's suffix (the bench prefixes its run id). */
      readonly key: string;
      readonly player: number;
      readonly offer: 'api' | 'budget';
      /** The qualifying amount for the budget offer (a reload match); none for the no-deposit offer. */
      readonly amountMinor: number | undefined;
      readonly repeat: boolean;
    };

/** mulberry32: a small seeded generator, so the same settings give the same workload every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** 10.00 to 50.00 in steps of 1.00 (minor units). */
const amount = (random: () => number) => 1_000 + Math.floor(random() * 41) * 100;

export function buildWorkload(settings: WorkloadSettings): Action[] {
  if (settings.players < 1) throw new Error('the workload needs at least one player');
  if (settings.redeliveries > 0 && settings.deposits === 0)
    throw new Error('redeliveries need deposits to redeliver');
  if (settings.apiRepeats > 0 && settings.apiGrants === 0)
    throw new Error('repeated keys need API requests to repeat');
  const random = seededRandom(settings.seed);
  const pick = (n: number) => Math.floor(random() * n);
  const actions: Action[] = [];
  for (let i = 0; i < settings.deposits; i++)
    actions.push({
      kind: 'deposit',
      depositId: `d${i}`,
      player: i % settings.players,
      amountMinor: amount(random),
      delivery: 'original',
    });
  for (let i = 0; i < settings.apiGrants; i++) {
    const budget = random() * 100 < settings.budgetSharePct;
    actions.push({
      kind: 'api',
      key: `k${i}`,
      player: (i * 7 + 3) % settings.players,
      offer: budget ? 'budget' : 'api',
      amountMinor: budget ? amount(random) : undefined,
      repeat: false,
    });
  }
  for (let i = actions.length - 1; i > 0; i--) {
    const j = pick(i + 1);
    [actions[i], actions[j]] = [actions[j]!, actions[i]!];
  }
  const insertAfter = (original: Action, extra: Action) => {
    const at = actions.indexOf(original);
    actions.splice(at + 1 + pick(actions.length - at), 0, extra);
  };
  const deposits = actions.filter(
    (action): action is Extract<Action, { kind: 'deposit' }> => action.kind === 'deposit',
  );
  for (let i = 0; i < settings.redeliveries; i++) {
    const original = deposits[pick(deposits.length)]!;
    insertAfter(original, { ...original, delivery: i % 2 === 0 ? 'same-event' : 'new-event' });
  }
  const requests = actions.filter(
    (action): action is Extract<Action, { kind: 'api' }> => action.kind === 'api' && !action.repeat,
  );
  for (let i = 0; i < settings.apiRepeats; i++) {
    const original = requests[pick(requests.length)]!;
    insertAfter(original, { ...original, repeat: true });
  }
  return actions;
}
