import { PitbossError } from '@pitboss/contracts';

import { PlayerDebitLimiter } from './player-debit-limiter';

/** A piece of work that stays in flight until released, recording that it started. */
function heldWork(started: string[], name: string) {
  let release: () => void = () => undefined;
  const done = new Promise<string>((resolve) => (release = () => resolve(name)));
  return {
    work: () => {
      started.push(name);
      return done;
    },
    release: () => release(),
  };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe(PlayerDebitLimiter.name, () => {
  it('runs up to the limit at once, queues the next ones in order and refuses the rest before running them', async () => {
    let refusals = 0;
    const sut = new PlayerDebitLimiter({ maxInFlight: 2, maxQueued: 1 }, () => (refusals += 1));
    const started: string[] = [];
    const calls = ['a', 'b', 'c', 'd'].map((name) => heldWork(started, name));
    const results = calls.map((call) => sut.run('t', 'noisy', call.work).catch((error: unknown) => error));
    await settle();
    expect(started).toEqual(['a', 'b']);

    const refused = await results[3];
    expect(refused).toBeInstanceOf(PitbossError);
    expect(refused).toMatchObject({ code: 'TOO_MANY_BETS_IN_FLIGHT', retryAfterSeconds: 1 });
    expect(refusals).toBe(1);

    calls[0]!.release();
    await settle();
    expect(started).toEqual(['a', 'b', 'c']);
    calls[1]!.release();
    calls[2]!.release();
    expect(await Promise.all(results.slice(0, 3))).toEqual(['a', 'b', 'c']);
    expect(started).not.toContain('d');
  });

  it("keeps players apart: one player's full lane does not slow another's", async () => {
    const sut = new PlayerDebitLimiter({ maxInFlight: 1, maxQueued: 0 });
    const started: string[] = [];
    const noisy = heldWork(started, 'noisy');
    const running = sut.run('t', 'noisy', noisy.work);
    await expect(sut.run('t', 'noisy', async () => 'again')).rejects.toMatchObject({
      code: 'TOO_MANY_BETS_IN_FLIGHT',
    });
    expect(await sut.run('t', 'quiet', async () => 'quiet')).toBe('quiet');
    // The same player id under another tenant is another player.
    expect(await sut.run('t2', 'noisy', async () => 'other tenant')).toBe('other tenant');
    noisy.release();
    await running;
  });

  it('frees a lane once its last call is over, whether it succeeded, failed or was refused', async () => {
    const sut = new PlayerDebitLimiter({ maxInFlight: 1, maxQueued: 0 });
    const started: string[] = [];
    const held = heldWork(started, 'x');
    const running = sut.run('t', 'p1', held.work);
    await sut.run('t', 'p1', async () => 'refused').catch(() => undefined);
    await sut.run('t', 'p2', () => Promise.reject(new Error('db down'))).catch(() => undefined);
    expect(sut.busyPlayers).toBe(1);
    held.release();
    await running;
    expect(sut.busyPlayers).toBe(0);
  });

  it('lets an error of the work through unchanged', async () => {
    const sut = new PlayerDebitLimiter({ maxInFlight: 1, maxQueued: 0 });
    const error = new PitbossError('WALLET_UNAVAILABLE', 'uncertain');
    await expect(sut.run('t', 'p', () => Promise.reject(error))).rejects.toBe(error);
  });

  it.each([
    { maxInFlight: 0, maxQueued: 0 },
    { maxInFlight: 1, maxQueued: -1 },
  ])('refuses limits %j', (limits) => {
    expect(() => new PlayerDebitLimiter(limits)).toThrow(RangeError);
  });
});
