import { relayReadsLine, relayReadsOf } from './relay-reads';

describe('relay reads from the relay /metrics', () => {
  const exposition = (rows: number, none: number) =>
    [
      '# HELP outbox_relay_reads_total Reads of the outbox',
      '# TYPE outbox_relay_reads_total counter',
      `outbox_relay_reads_total{source="bet_gateway",found="rows"} ${rows}`,
      `outbox_relay_reads_total{source="bet_gateway",found="none"} ${none}`,
      `outbox_relay_reads_total{source="settle_worker",found="none"} 5`,
      'outbox_events_published_total{source="bet_gateway",topic="rgs.rounds.v1"} 99',
    ].join('\n');

  it('Given the counter per source and found, When read, Then it sums reads with rows and empty polls', () => {
    expect(relayReadsOf(exposition(7, 3))).toEqual({ withRows: 7, empty: 8 });
  });

  it('Given two samples, When put per bet, Then the line gives the window’s reads per bet, split', () => {
    const line = relayReadsLine(relayReadsOf(exposition(7, 3)), relayReadsOf(exposition(27, 63)), 10);

    expect(line).toMatch(/^8\.0 per bet \(2\.0 with rows, 6\.0 empty polls\)/);
  });

  it('Given no sample, Then the line says so', () => {
    expect(relayReadsLine(undefined, { withRows: 1, empty: 1 }, 10)).toBe('n/a (no relay /metrics)');
  });
});
