import { parsePrometheusText } from './prometheus-text';
import { scrapeFigures, type TargetStatus } from './scrape-figures';
import { type Scrape, ScrapeHistory } from './scrape-history';

const up = (target: string): TargetStatus => ({
  target,
  url: `http://127.0.0.1/${target}`,
  up: true,
  lastScrapeAt: 0,
  error: null,
});

const scrapeOf = (target: string, at: number, lines: string[]): Scrape => ({
  target,
  at,
  samples: parsePrometheusText(lines.join('\n')).samples,
});

const INF = '+Inf';

function settleLag(counts: Record<string, number>): string[] {
  return Object.entries(counts).map(([le, n]) => `bet_settle_lag_seconds_bucket{le="${le}",tenant="t"} ${n}`);
}

/** A history of two scrapes per target, `window` ms apart, and the figures computed from it. */
function figuresOf(scrapes: Scrape[], targets = [...new Set(scrapes.map((s) => s.target))].map(up)) {
  const history = new ScrapeHistory(60_000);
  for (const scrape of scrapes) history.add(scrape);
  return scrapeFigures(
    targets,
    (t) => history.latest(t),
    (t) => history.oldest(t),
  );
}

describe(scrapeFigures.name, () => {
  it('computes the settle lag p95 from what the histogram observed within the window', () => {
    const sut = figuresOf([
      // Before the window's traffic: 100 slow settlements already observed (must not count).
      scrapeOf('settle-worker', 0, settleLag({ '0.1': 0, '1': 0, '10': 100, [INF]: 100 })),
      // In the window: 100 fast ones.
      scrapeOf('settle-worker', 10_000, settleLag({ '0.1': 90, '1': 100, '10': 200, [INF]: 200 })),
    ]);
    expect(sut.settlements).toBe(100);
    // Rank 95 of the window's 100 lies halfway through (0.1, 1].
    expect(sut.settleLagP95Seconds).toBeCloseTo(0.55, 10);
  });

  it('falls back to the older settle_lag_seconds histogram, and has no p95 without either', () => {
    const old = (n: number) => [
      `settle_lag_seconds_bucket{le="1"} ${n}`,
      `settle_lag_seconds_bucket{le="+Inf"} ${n}`,
    ];
    const sut = figuresOf([scrapeOf('settle-worker', 0, old(0)), scrapeOf('settle-worker', 1_000, old(4))]);
    expect(sut.settlements).toBe(4);
    expect(sut.settleLagP95Seconds).toBeCloseTo(0.95, 10);
    const none = figuresOf([scrapeOf('settle-worker', 0, ['up 1'])]);
    expect(none.settleLagP95Seconds).toBeNull();
    expect(none.settlements).toBe(0);
  });

  it('reports wallet health per service: p95, calls, uncertain calls as errors, refusals, circuit state', () => {
    const wallet = (ok: number, uncertain: number, rejected: number, open: 0 | 1) => [
      `wallet_call_seconds_bucket{le="0.05",operation="debit",outcome="ok"} ${ok}`,
      `wallet_call_seconds_bucket{le="+Inf",operation="debit",outcome="ok"} ${ok}`,
      `wallet_call_seconds_count{operation="debit",outcome="ok"} ${ok}`,
      `wallet_call_seconds_bucket{le="0.05",operation="debit",outcome="uncertain"} 0`,
      `wallet_call_seconds_bucket{le="+Inf",operation="debit",outcome="uncertain"} ${uncertain}`,
      `wallet_call_seconds_count{operation="debit",outcome="uncertain"} ${uncertain}`,
      `wallet_call_seconds_count{operation="debit",outcome="rejected"} ${rejected}`,
      `wallet_circuit_state{state="closed"} ${1 - open}`,
      `wallet_circuit_state{state="half_open"} 0`,
      `wallet_circuit_state{state="open"} ${open}`,
    ];
    const sut = figuresOf([
      scrapeOf('bet-gateway', 0, wallet(10, 0, 1, 0)),
      scrapeOf('bet-gateway', 5_000, wallet(30, 2, 4, 1)),
      scrapeOf('outbox-relay', 5_000, ['outbox_lag_seconds{source="bet_gateway"} 0.2']),
    ]);
    expect(sut.wallet).toEqual([
      {
        service: 'bet-gateway',
        // 22 calls in the window, 20 within 50 ms: rank 20.9 lies in the +Inf bucket → highest finite bound.
        p95Seconds: 0.05,
        calls: 25,
        uncertain: 2,
        rejected: 3,
        circuit: 'open',
      },
    ]);
  });

  it('sums consumer lag per topic, counts dead letters parked within the window, reads outbox lag', () => {
    const sut = figuresOf([
      scrapeOf('settle-worker', 0, [
        'kafka_consumer_messages_total{topic="rgs.rounds.v1",outcome="dead_lettered"} 1',
      ]),
      scrapeOf('settle-worker', 5_000, [
        'kafka_consumer_lag_messages{topic="rgs.rounds.v1",partition="0"} 3',
        'kafka_consumer_lag_messages{topic="rgs.rounds.v1",partition="1"} 4',
        'kafka_consumer_messages_total{topic="rgs.rounds.v1",outcome="processed"} 90',
        'kafka_consumer_messages_total{topic="rgs.rounds.v1",outcome="dead_lettered"} 3',
      ]),
      scrapeOf('outbox-relay', 5_000, [
        'outbox_lag_seconds{source="bet_gateway"} 0.25',
        'outbox_lag_seconds{source="settle_worker"} 0',
        'outbox_relay_active{source="bet_gateway"} 1',
        'outbox_relay_active{source="settle_worker"} 0',
      ]),
    ]);
    expect(sut.consumerLag).toEqual([{ service: 'settle-worker', topic: 'rgs.rounds.v1', messages: 7 }]);
    expect(sut.deadLettered).toEqual([{ service: 'settle-worker', topic: 'rgs.rounds.v1', messages: 2 }]);
    expect(sut.outboxLag).toEqual([
      { source: 'bet_gateway', seconds: 0.25, active: true },
      { source: 'settle_worker', seconds: 0, active: false },
    ]);
  });

  it('reads degraded mode and backlog from the gateway, unknown when no gateway answered', () => {
    const sut = figuresOf([
      scrapeOf('bet-gateway', 0, [
        'gateway_no_new_sessions{source="manual"} 0',
        'gateway_no_new_sessions{source="backlog"} 1',
        'gateway_settlement_backlog{tenant="t1"} 12',
      ]),
    ]);
    expect(sut.degraded).toEqual({
      noNewSessions: true,
      sources: ['backlog'],
      backlog: [{ tenant: 't1', settlements: 12 }],
      known: true,
    });
    expect(figuresOf([scrapeOf('settle-worker', 0, ['up 1'])]).degraded.known).toBe(false);
  });

  it('reads the certified corridors and the API errors of the window, top codes first', () => {
    const labels = 'tenant="t",region="eu",game="starburst",math_version="sb-1"';
    const errors = (a: number, b: number) => [
      `api_errors_total{transport="http",route="/v1/bets/authorize",code="INSUFFICIENT_FUNDS",class="client"} ${a}`,
      `api_errors_total{transport="grpc",route="Authorize",code="INSUFFICIENT_FUNDS",class="client"} 1`,
      `api_errors_total{transport="http",route="/v1/bets/settle",code="BET_NOT_FOUND",class="client"} ${b}`,
    ];
    const sut = figuresOf([
      scrapeOf('bet-gateway', 0, errors(2, 5)),
      scrapeOf('bet-gateway', 5_000, [
        ...errors(6, 5),
        `game_certified_rtp_ratio{${labels}} 0.961`,
        `game_rtp_corridor_min_ratio{${labels}} 0.94`,
        `game_rtp_corridor_max_ratio{${labels}} 0.975`,
      ]),
    ]);
    expect(sut.corridors).toEqual([
      { tenant: 't', game: 'starburst', mathVersion: 'sb-1', certified: 0.961, min: 0.94, max: 0.975 },
    ]);
    // BET_NOT_FOUND did not grow within the window; a counter that is new in the window counts in full.
    expect(sut.apiErrors).toEqual([{ code: 'INSUFFICIENT_FUNDS', count: 4 }]);
  });

  it('counts a counter that went down (its process restarted) from zero', () => {
    const dead = (n: number) => [`kafka_consumer_messages_total{topic="x",outcome="dead_lettered"} ${n}`];
    const sut = figuresOf([scrapeOf('svc', 0, dead(10)), scrapeOf('svc', 5_000, dead(2))]);
    expect(sut.deadLettered).toEqual([{ service: 'svc', topic: 'x', messages: 2 }]);
  });

  it('keeps the targets as given and shows nothing of a target without a scrape', () => {
    const down: TargetStatus = {
      target: 'settle-worker',
      url: 'u',
      up: false,
      lastScrapeAt: null,
      error: 'ECONNREFUSED',
    };
    const sut = figuresOf([], [down]);
    expect(sut.targets).toEqual([down]);
    expect(sut.wallet).toEqual([]);
    expect(sut.consumerLag).toEqual([]);
  });
});
