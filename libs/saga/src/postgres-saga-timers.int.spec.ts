import {
  eventStoreMigrations,
  PostgresEventStore,
  StreamVersionConflictError,
  withTransaction,
} from '@pitboss/event-store';
import { createTestSchema, expectEventually, type TestSchema } from '@pitboss/testing';

import { sagaMigrations } from './migrations/saga-migrations';
import { PostgresSagaTimers } from './postgres-saga-timers';
import { type SagaStep, type SagaStepLease, SagaTimerLoop } from './saga-timer-loop';

describe(PostgresSagaTimers.name, () => {
  let db: TestSchema;
  const sut = new PostgresSagaTimers();
  const bet = { tenantId: 't1', subjectId: 'bet-1' };
  const past = () => new Date(Date.now() - 1_000);

  /**
   * A loop that records the subjects it steps and polls at a pace: every 5 ms for 50 ms after a poll found work,
   * then once a minute (never, in a test).
   */
  const pacedLoop = (timers: PostgresSagaTimers, stepped: string[], concurrency: number) =>
    new SagaTimerLoop(
      db.pool,
      timers,
      async (lease) => {
        stepped.push(lease.subjectId);
        return null;
      },
      { pollMs: 5, idlePollMs: 60_000, idleAfterMs: 50, concurrency, leaseMs: 5_000, errorRetryMs: 100 },
      { stepFailed: () => undefined, leaseLost: () => undefined, pollFailed: () => undefined },
    );

  beforeEach(async () => {
    db = await createTestSchema([...eventStoreMigrations, ...sagaMigrations], 'saga');
  });
  afterEach(() => db.drop());

  it('keeps one timer per subject and lets only one of several concurrent claimers hold it', async () => {
    await sut.schedule(db.pool, bet, past());
    await sut.schedule(db.pool, bet, new Date(Date.now() + 60_000));

    const claims = await Promise.all([1, 2, 3, 4].map(() => sut.claimDue(db.pool, 10, 10_000)));

    expect(claims.flat()).toHaveLength(1);
    expect(await sut.claimDue(db.pool, 10, 10_000)).toEqual([]);
  });

  it('lets another worker claim the subject once the holder’s lease expired, and fences the old holder', async () => {
    await sut.schedule(db.pool, bet, past());
    const [first] = await sut.claimDue(db.pool, 1, 50);

    const second = await expectEventually(async () => {
      const [lease] = await sut.claimDue(db.pool, 1, 10_000);
      expect(lease).toBeDefined();
      return lease!;
    });

    expect(second.claims).toBe(2);
    expect(await sut.release(db.pool, first!, null)).toBe(false);
    expect(await sut.renew(db.pool, first!, 10_000)).toBe(false);
    expect(await sut.release(db.pool, second, null)).toBe(true);
    expect((await db.pool.query('SELECT count(*)::int AS n FROM saga_timers')).rows[0].n).toBe(0);
  });

  it('makes the subject due at once when work was scheduled while it was leased', async () => {
    await sut.schedule(db.pool, bet, past());
    const [lease] = await sut.claimDue(db.pool, 1, 10_000);
    await sut.schedule(db.pool, bet, new Date(Date.now() + 60_000));

    await sut.release(db.pool, lease!, null);

    expect(await sut.claimDue(db.pool, 1, 10_000)).toHaveLength(1);
  });

  it('runs each due subject through the loop with at most one step per subject at a time', async () => {
    const subjects = Array.from({ length: 20 }, (_, index) => ({
      tenantId: 't1',
      subjectId: `bet-${index}`,
    }));
    for (const subject of subjects) await sut.schedule(db.pool, subject, past());
    const running = new Set<string>();
    const runs = new Map<string, number>();
    let overlap = false;
    const loops = [1, 2].map(
      () =>
        new SagaTimerLoop(
          db.pool,
          sut,
          async (lease) => {
            if (running.has(lease.subjectId)) overlap = true;
            running.add(lease.subjectId);
            await new Promise((resolve) => setTimeout(resolve, 5));
            running.delete(lease.subjectId);
            const count = (runs.get(lease.subjectId) ?? 0) + 1;
            runs.set(lease.subjectId, count);
            return count < 3 ? new Date() : null;
          },
          { pollMs: 10, concurrency: 4, leaseMs: 5_000, errorRetryMs: 100 },
          { stepFailed: () => undefined, leaseLost: () => undefined, pollFailed: () => undefined },
        ),
    );
    loops.forEach((loop) => loop.start());
    try {
      await expectEventually(async () =>
        expect((await db.pool.query('SELECT count(*)::int AS n FROM saga_timers')).rows[0].n).toBe(0),
      );
    } finally {
      await Promise.all(loops.map((loop) => loop.stop()));
    }

    expect(overlap).toBe(false);
    expect([...runs.values()]).toEqual(subjects.map(() => 3));
  });

  it('steps a subject as soon as it is announced due, and again at the due time its step returned, without polling', async () => {
    const steppedAt: number[] = [];
    const loop = new SagaTimerLoop(
      db.pool,
      sut,
      async () => {
        steppedAt.push(Date.now());
        return steppedAt.length === 1 ? new Date(Date.now() + 300) : null;
      },
      // A poll this slow never comes during the test: only notifyDue can wake the loop.
      { pollMs: 60_000, concurrency: 1, leaseMs: 5_000, errorRetryMs: 100 },
      { stepFailed: () => undefined, leaseLost: () => undefined, pollFailed: () => undefined },
    );
    loop.start();
    try {
      // The first poll, at start, finds nothing; the loop then sleeps for a minute.
      await new Promise((resolve) => setImmediate(resolve));
      const scheduledAt = Date.now();
      await sut.schedule(db.pool, bet, new Date(scheduledAt));
      loop.notifyDue(new Date(scheduledAt));

      await expectEventually(() => expect(steppedAt).toHaveLength(2), { timeoutMs: 10_000 });
    } finally {
      await loop.stop();
    }

    expect(steppedAt[1]! - steppedAt[0]!).toBeGreaterThanOrEqual(290);
    expect((await db.pool.query('SELECT count(*)::int AS n FROM saga_timers')).rows[0].n).toBe(0);
  });

  it('polls at the idle pace once no poll found work, and still steps a subject announced due at once', async () => {
    const timers = new PostgresSagaTimers();
    const claims = jest.spyOn(timers, 'claimDue');
    const stepped: string[] = [];
    const loop = pacedLoop(timers, stepped, 1);
    const announce = async (subjectId: string) => {
      const now = new Date();
      await sut.schedule(db.pool, { tenantId: 't1', subjectId }, now);
      loop.notifyDue(now);
    };
    const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    loop.start();
    try {
      await announce('bet-1');
      await expectEventually(() => expect(stepped).toEqual(['bet-1']));
      await pause(100); // past idleAfterMs: the loop is quiet now
      const claimsWhenQuiet = claims.mock.calls.length;

      await pause(300);
      const quietClaims = claims.mock.calls.length - claimsWhenQuiet;
      await announce('bet-2');

      await expectEventually(() => expect(stepped).toEqual(['bet-1', 'bet-2']), { timeoutMs: 10_000 });
      expect(quietClaims).toBeLessThanOrEqual(1); // at the busy pace: about 60
    } finally {
      await loop.stop();
    }
  });

  describe('a step that ends its lease with its last append', () => {
    const store = new PostgresEventStore({ region: 'eu-test' });
    const happened = [{ type: 'test.happened', data: {} }];
    const timerRows = async () =>
      (
        await db.pool.query('SELECT lease_token, due_at FROM saga_timers WHERE subject_id = $1', [
          bet.subjectId,
        ])
      ).rows;

    /** Steps `bet` once with `append` (the step's last), and answers what the loop reported. */
    async function stepWith(
      append: (lease: SagaStepLease) => Promise<void>,
      next: Date | null,
    ): Promise<{ leaseLost: string[]; stepFailed: unknown[] }> {
      const reported = { leaseLost: [] as string[], stepFailed: [] as unknown[] };
      let stepped = false;
      const loop = new SagaTimerLoop(
        db.pool,
        sut,
        async (lease) => {
          try {
            await append(lease);
            return next;
          } finally {
            stepped = true;
          }
        },
        { pollMs: 20, concurrency: 1, leaseMs: 5_000, errorRetryMs: 60_000 },
        {
          stepFailed: (_, error) => void reported.stepFailed.push(error),
          leaseLost: (lease) => void reported.leaseLost.push(lease.subjectId),
          pollFailed: () => undefined,
        },
      );
      await sut.schedule(db.pool, bet, past());
      loop.start();
      await expectEventually(() => expect(stepped).toBe(true));
      await loop.stop();
      return reported;
    }

    it('deletes the timer in the append’s statement, and the loop releases nothing itself', async () => {
      const reported = await stepWith(async (lease) => {
        const result = await store.appendToStream(
          db.pool,
          'saga-1',
          'no_stream',
          happened,
          bet,
          undefined,
          lease.releaseWrite(null),
        );
        lease.releasedBy(result.written);
      }, null);

      expect(await store.readStream(db.pool, 'saga-1')).toHaveLength(1);
      expect(await timerRows()).toEqual([]);
      // The loop's own release would have found no lease and reported it lost.
      expect(reported).toEqual({ leaseLost: [], stepFailed: [] });
    });

    it('makes the subject due again, unleased, at the next due time it released with', async () => {
      const next = new Date(Date.now() + 3_600_000);

      await stepWith(async (lease) => {
        const result = await store.appendToStream(
          db.pool,
          'saga-2',
          'no_stream',
          happened,
          bet,
          undefined,
          lease.releaseWrite(next),
        );
        lease.releasedBy(result.written);
      }, next);

      expect(await timerRows()).toEqual([{ lease_token: null, due_at: next }]);
    });

    it('reports a step that throws after its committed release as failed, not its lease as lost', async () => {
      const failure = new Error('after the append');

      const reported = await stepWith(async (lease) => {
        const result = await store.appendToStream(
          db.pool,
          'saga-4',
          'no_stream',
          happened,
          bet,
          undefined,
          lease.releaseWrite(null),
        );
        lease.releasedBy(result.written);
        throw failure;
      }, null);

      expect(reported).toEqual({ leaseLost: [], stepFailed: [failure] });
      expect(await timerRows()).toEqual([]);
    });

    it('releases nothing when the append loses its version: the loop releases, to retry the step', async () => {
      await store.appendToStream(db.pool, 'saga-3', 'no_stream', happened, bet);

      const reported = await stepWith(async (lease) => {
        await store.appendToStream(
          db.pool,
          'saga-3',
          'no_stream',
          happened,
          bet,
          undefined,
          lease.releaseWrite(null),
        );
      }, null);

      expect(reported.stepFailed).toEqual([expect.any(StreamVersionConflictError)]);
      expect(await store.readStream(db.pool, 'saga-3')).toHaveLength(1);
      const [timer] = await timerRows();
      expect(timer.lease_token).toBeNull();
      expect(timer.due_at.getTime()).toBeGreaterThan(Date.now() + 30_000); // errorRetryMs from the failure
    });
  });

  describe('a finished step', () => {
    /**
     * Runs a loop of `concurrency` slots whose poll never comes during the test (only the start, notifyDue and
     * freed slots wake it) until `done` holds, and `lingerMs` longer; answers the subjects it stepped, in order.
     */
    async function stepUntil(
      timers: PostgresSagaTimers,
      concurrency: number,
      done: (stepped: readonly string[]) => void,
      lingerMs = 0,
    ): Promise<string[]> {
      const stepped: string[] = [];
      const loop = new SagaTimerLoop(
        db.pool,
        timers,
        async (lease) => {
          stepped.push(lease.subjectId);
          return null;
        },
        { pollMs: 60_000, leaseMs: 5_000, errorRetryMs: 100, concurrency },
        { stepFailed: () => undefined, leaseLost: () => undefined, pollFailed: () => undefined },
      );
      loop.start();
      try {
        await expectEventually(() => done(stepped), { timeoutMs: 10_000 });
        await new Promise((resolve) => setTimeout(resolve, lingerMs));
      } finally {
        await loop.stop();
      }
      return stepped;
    }

    it('makes no claim of its own when the claim that took it left slots free (all that was due was taken)', async () => {
      const timers = new PostgresSagaTimers();
      const claims = jest.spyOn(timers, 'claimDue');
      await timers.schedule(db.pool, bet, past());
      // Running 300 ms past the step: time for the freed slot's claim, had it made one.
      await stepUntil(timers, 4, (stepped) => expect(stepped).toHaveLength(1), 300);
      // The start's claim took the one due subject with three slots to spare; the freed slot claimed nothing.
      expect(claims).toHaveBeenCalledTimes(1);
    });

    it('claims again at once when its claim filled every slot, so work left due is not left for the poll', async () => {
      const timers = new PostgresSagaTimers();
      await timers.schedule(db.pool, bet, past());
      await timers.schedule(db.pool, { tenantId: 't1', subjectId: 'bet-2' }, past());
      const stepped = await stepUntil(timers, 1, (done) => expect(done).toHaveLength(2));
      expect([...stepped].sort()).toEqual(['bet-1', 'bet-2']);
    });
  });

  describe('a lease taken with the schedule', () => {
    const quietLoop = (timers: PostgresSagaTimers, step: SagaStep, concurrency: number) =>
      new SagaTimerLoop(
        db.pool,
        timers,
        step,
        // A poll this slow never comes during the test: only the start, adopt and freed slots move the loop.
        { pollMs: 60_000, leaseMs: 5_000, errorRetryMs: 100, concurrency },
        { stepFailed: () => undefined, leaseLost: () => undefined, pollFailed: () => undefined },
      );

    it('holds a new subject against claims until released, and takes no lease of a subject that has a timer', async () => {
      const lease = await withTransaction(db.pool, (tx) => sut.scheduleLeased(tx, bet, past(), 10_000));
      expect(lease).toMatchObject({ ...bet, claims: 1 });
      expect(await sut.claimDue(db.pool, 10, 10_000)).toEqual([]);

      const earlier = past();
      const later = new Date(Date.now() + 60_000);
      await sut.schedule(db.pool, { tenantId: 't1', subjectId: 'bet-2' }, earlier);
      expect(
        await sut.scheduleLeased(db.pool, { tenantId: 't1', subjectId: 'bet-2' }, later, 10_000),
      ).toBeNull();
      // Scheduled again, as `schedule` does: the earlier due time is kept, and the subject is claimable.
      expect(await sut.claimDue(db.pool, 10, 10_000)).toMatchObject([{ subjectId: 'bet-2' }]);

      // Scheduled again while leased, the subject is due at once when the lease ends.
      await sut.schedule(db.pool, bet, later);
      expect(await sut.release(db.pool, lease!, null)).toBe(true);
      expect(await sut.claimDue(db.pool, 10, 10_000)).toMatchObject([{ subjectId: 'bet-1' }]);
    });

    it('is stepped by the loop at once under that lease, with no claim of its own', async () => {
      const timers = new PostgresSagaTimers();
      const claims = jest.spyOn(timers, 'claimDue');
      const steppedWith: string[] = [];
      const loop = quietLoop(
        timers,
        async (lease) => {
          steppedWith.push(lease.leaseToken);
          return null;
        },
        4,
      );
      loop.start();
      try {
        // The start's claim, finding nothing, and done: until it is, a finished step would claim again.
        await expectEventually(() => expect(claims).toHaveBeenCalledTimes(1));
        await claims.mock.results[0]!.value;
        const lease = await timers.scheduleLeased(db.pool, bet, past(), 5_000);
        loop.adopt(lease!);
        await expectEventually(() => expect(steppedWith).toEqual([lease!.leaseToken]));
        await expectEventually(async () =>
          expect((await db.pool.query('SELECT count(*)::int AS n FROM saga_timers')).rows[0].n).toBe(0),
        );
      } finally {
        await loop.stop();
      }
      expect(claims).toHaveBeenCalledTimes(1);
    });

    it('keeps a quiet loop at its idle pace: adopted steps are not a poll’s finds', async () => {
      const timers = new PostgresSagaTimers();
      const claims = jest.spyOn(timers, 'claimDue');
      const stepped: string[] = [];
      const loop = pacedLoop(timers, stepped, 4);
      const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
      loop.start();
      try {
        await pause(100); // past idleAfterMs: the loop is quiet now
        const claimsWhenQuiet = claims.mock.calls.length;
        for (const subjectId of ['bet-1', 'bet-2', 'bet-3']) {
          loop.adopt((await timers.scheduleLeased(db.pool, { tenantId: 't1', subjectId }, past(), 5_000))!);
          // Something else wakes the loop meanwhile (another subject announced due): one claim, then the pace.
          loop.notifyDue(new Date());
          await pause(100);
        }
        await expectEventually(() => expect(stepped).toEqual(['bet-1', 'bet-2', 'bet-3']));
        // One claim per wake-up; at the busy pace after each adopted step, about ten.
        expect(claims.mock.calls.length - claimsWhenQuiet).toBeLessThanOrEqual(3);
      } finally {
        await loop.stop();
      }
    });

    it('is handed back when it aged past a renewal interval before the adoption, and claimed afresh', async () => {
      const stepped: string[] = [];
      const loop = new SagaTimerLoop(
        db.pool,
        sut,
        async ({ leaseToken }) => {
          stepped.push(leaseToken);
          return null;
        },
        // Renewals every 100 ms; a poll this slow never comes: only adopt and the hand-back's wake-up move the loop.
        { pollMs: 60_000, leaseMs: 300, errorRetryMs: 100, concurrency: 4 },
        { stepFailed: () => undefined, leaseLost: () => undefined, pollFailed: () => undefined },
      );
      loop.start();
      try {
        const lease = await sut.scheduleLeased(db.pool, bet, past(), 300);
        await new Promise((resolve) => setTimeout(resolve, 150)); // a long transaction between take and commit
        loop.adopt(lease!);
        await expectEventually(() => expect(stepped).toHaveLength(1));
        expect(stepped[0]).not.toBe(lease!.leaseToken);
      } finally {
        await loop.stop();
      }
    });

    it('is handed back when no slot is free, and stepped by the claim of the slot that frees', async () => {
      let finishFirst: () => void = () => undefined;
      const firstHeld = new Promise<void>((resolve) => (finishFirst = resolve));
      const stepped: { subjectId: string; leaseToken: string }[] = [];
      const loop = quietLoop(
        sut,
        async ({ subjectId, leaseToken }) => {
          stepped.push({ subjectId, leaseToken });
          if (subjectId === 'bet-1') await firstHeld;
          return null;
        },
        1,
      );
      loop.start();
      try {
        loop.adopt((await sut.scheduleLeased(db.pool, bet, past(), 5_000))!);
        await expectEventually(() => expect(stepped).toHaveLength(1));
        const second = await sut.scheduleLeased(
          db.pool,
          { tenantId: 't1', subjectId: 'bet-2' },
          past(),
          5_000,
        );
        expect(loop.hasFreeSlots()).toBe(false);
        loop.adopt(second!);
        // Handed back: released and due, though its step has not run.
        await expectEventually(async () =>
          expect(
            (await db.pool.query("SELECT lease_token FROM saga_timers WHERE subject_id = 'bet-2'")).rows,
          ).toEqual([{ lease_token: null }]),
        );
        expect(stepped).toHaveLength(1);

        finishFirst();
        await expectEventually(() =>
          expect(stepped.map(({ subjectId }) => subjectId)).toEqual(['bet-1', 'bet-2']),
        );
        // Stepped under a claim of its own, not under the lease handed back.
        expect(stepped[1]!.leaseToken).not.toBe(second!.leaseToken);
      } finally {
        await loop.stop();
      }
    });
  });
});
