import { randomBytes, randomUUID } from 'node:crypto';

import {
  ancestorsOf,
  authorizeBody,
  expectEventually,
  type MoneyFleet,
  openTestPlayer,
  startMoneyFleet,
  type ZipkinSpan,
  zipkinTrace,
} from '@pitboss/testing';

const hex = (bytes: number) => randomBytes(bytes).toString('hex');

/**
 * One bet is one trace: the aggregator sends one trace id with its authorize and its settle (its round's trace),
 * and every hop of the money path (gateway, wallet, outbox relay, Kafka, settle-worker, the gateway's consumer)
 * reports spans to the stack's real Zipkin under it, each hanging off the hop that caused it.
 */
describe('observability: one bet through the real fleet is one trace in Zipkin, and the logs keep secrets out', () => {
  let fleet: MoneyFleet;

  beforeAll(async () => {
    fleet = await startMoneyFleet({ label: 'trace' });
  });

  afterAll(() => fleet?.stop());

  it('links authorize → wallet debit, settle → relay → settle-worker → wallet credit → relay → gateway', async () => {
    const traceId = hex(16);
    const authorizeParent = hex(8);
    const settleParent = hex(8);
    const player = await openTestPlayer(fleet);
    const bet = authorizeBody(player);
    const authorized = await fleet.http.post('/v1/bets/authorize', bet, {
      key: randomUUID(),
      headers: { traceparent: `00-${traceId}-${authorizeParent}-01` },
    });
    expect(authorized.status).toBe(200);
    const settled = await fleet.http.post(
      '/v1/bets/settle',
      { bet_id: bet.bet_id, round_id: bet.round_id, win: { minor_units: 500, currency: 'EUR' } },
      { key: randomUUID(), headers: { traceparent: `00-${traceId}-${settleParent}-01` } },
    );
    expect(settled.status).toBe(202);
    await expectEventually(
      async () => expect((await fleet.http.get(`/v1/bets/${bet.bet_id}`)).body.status).toBe('credited'),
      { timeoutMs: 30_000 },
    );

    // Spans leave each process in batches (every few seconds), so the chain is awaited until it is whole.
    await expectEventually(
      async () => {
        const trace = await zipkinTrace(traceId);
        const chain = new TraceChain(trace);

        const authorize = chain.one('bet-gateway', 'SERVER', (span) => span.parentId === authorizeParent);
        expect(pathOf(authorize)).toBe('/v1/bets/authorize');
        const debit = chain.one('wallet-sandbox', 'SERVER', (span) => pathOf(span) === '/v1/wallet/debit');
        chain.expectDescendant(debit, authorize);

        const settle = chain.one('bet-gateway', 'SERVER', (span) => span.parentId === settleParent);
        expect(pathOf(settle)).toBe('/v1/bets/settle');
        const settleRequested = chain.one('outbox-relay', 'PRODUCER', (span) => span.parentId === settle.id);
        const settleHandled = chain.one(
          'settle-worker',
          'CONSUMER',
          (span) => span.parentId === settleRequested.id,
        );
        const creditStep = chain.one('settle-worker', undefined, (span) => span.name === 'credit step');
        expect(creditStep.parentId).toBe(settleHandled.id);
        const credit = chain.one('wallet-sandbox', 'SERVER', (span) => pathOf(span) === '/v1/wallet/credit');
        chain.expectDescendant(credit, creditStep);
        const betSettled = chain.one('outbox-relay', 'PRODUCER', (span) => span.parentId === creditStep.id);
        expect(betSettled.tags?.['messaging.destination.name']).toContain('rgs.settlements.v1');
        chain.one('bet-gateway', 'CONSUMER', (span) => span.parentId === betSettled.id);
      },
      { timeoutMs: 60_000, intervalMs: 1_000 },
    );
  });

  it("never logs the tenant's secret, a signature or a bearer token, and ties its lines to traces", async () => {
    const token = `tok-${hex(24)}`;
    const forged = hex(32);
    const player = await openTestPlayer(fleet);
    const bet = authorizeBody(player);
    // Signed traffic, plus a request whose signature is wrong and one carrying a bearer token it does not need.
    expect((await fleet.http.post('/v1/bets/authorize', bet, { key: randomUUID() })).status).toBe(200);
    const refused = await fleet.http.post('/v1/bets/authorize', authorizeBody(player), {
      key: randomUUID(),
      headers: { 'x-signature': forged, authorization: `Bearer ${token}` },
    });
    expect(refused.status).toBe(401);
    await expectEventually(async () =>
      expect(
        (
          await fleet.http.post(
            '/v1/bets/settle',
            { bet_id: bet.bet_id, round_id: bet.round_id, win: { minor_units: 0, currency: 'EUR' } },
            { key: randomUUID() },
          )
        ).status,
      ).toBe(202),
    );

    const logs = [
      ...fleet.gateway.output,
      ...(fleet.worker?.output ?? []),
      ...fleet.relay.output,
      ...fleet.wallet.output,
    ];
    expect(logs.length).toBeGreaterThan(10);
    for (const leaked of [fleet.secret, forged, token])
      expect(logs.filter((line) => line.includes(leaked))).toEqual([]);
    const entries = logs.flatMap((line) => {
      try {
        return [JSON.parse(line) as Record<string, unknown>];
      } catch {
        return [];
      }
    });
    const fromServices = entries.filter((entry) => entry['service'] !== 'wallet-sandbox');
    expect(fromServices.length).toBeGreaterThan(0);
    expect(
      fromServices.filter(
        (entry) => !['audit', 'integration', 'incident'].includes(String(entry['category'])),
      ),
    ).toEqual([]);
  });
});

/** The spans of one trace, found by service, kind and a predicate, with what is missing said plainly. */
class TraceChain {
  constructor(private readonly spans: readonly ZipkinSpan[]) {}

  one(
    service: string,
    kind: ZipkinSpan['kind'] | undefined,
    matches: (span: ZipkinSpan) => boolean,
  ): ZipkinSpan {
    const found = this.spans.filter(
      (span) =>
        span.localEndpoint?.serviceName === service &&
        (kind === undefined || span.kind === kind) &&
        matches(span),
    );
    if (found.length !== 1)
      throw new Error(
        `expected one ${service} ${kind ?? ''} span, found ${found.length} in:\n${this.summary()}`,
      );
    return found[0]!;
  }

  expectDescendant(span: ZipkinSpan, ancestor: ZipkinSpan): void {
    const chain = ancestorsOf(span, this.spans).map((parent) => parent.id);
    if (!chain.includes(ancestor.id))
      throw new Error(`${spanLabel(span)} does not descend from ${spanLabel(ancestor)}:\n${this.summary()}`);
  }

  private summary(): string {
    return this.spans.map((span) => `  ${spanLabel(span)} parent=${span.parentId ?? '-'}`).join('\n');
  }
}

function spanLabel(span: ZipkinSpan): string {
  return `${span.localEndpoint?.serviceName}/${span.kind ?? 'INTERNAL'}/${span.name} ${pathOf(span) ?? ''} id=${span.id}`;
}

function pathOf(span: ZipkinSpan): string | undefined {
  const tags = span.tags ?? {};
  const target = tags['url.path'] ?? tags['http.target'] ?? tags['http.route'];
  return target?.split('?')[0];
}
