import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { type BrowserContext, chromium, type Page } from 'playwright-core';

import {
  authorizeBody,
  certifiedGameConfig,
  expectEventually,
  type MoneyFleet,
  openTestPlayer,
  seedGameConfigs,
  type ServiceProcess,
  startMoneyFleet,
  startServiceProcess,
  type TestPlayer,
} from '@pitboss/testing';

const WORKSPACE = join(__dirname, '../../..');
/** Git-ignored (`.stack/`), kept after the run so the page can be looked at. */
const SCREENSHOT = join(WORKSPACE, '.stack/noc/noc-page.png');
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * The NOC page in a real browser on the real fleet: bet-gateway, settle-worker, the relay and the wallet sandbox
 * on the stack, the NOC consuming the fleet's topics and scraping the gateway, the worker and the relay. Signed
 * bets go through the gateway; the page (headless Chromium, Debian's package, driven by playwright-core) must
 * show them move: bets/min, RTP next to the seeded corridor, hit rate, the refusal's code, country × game, settle
 * lag, wallet health and the scrape targets.
 */
describe('NOC page: live figures of real traffic in headless Chromium', () => {
  let fleet: MoneyFleet;
  let noc: ServiceProcess;
  let context: BrowserContext;
  let page: Page;
  let profile: string;
  const pageErrors: string[] = [];

  // Long: on a machine without chromium, ensure-chromium.sh installs it from Debian's packages first.
  beforeAll(async () => {
    const executablePath = execFileSync('bash', [join(WORKSPACE, 'tools/noc/ensure-chromium.sh')], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    }).trim();
    fleet = await startMoneyFleet({ label: 'noc' });
    // starburst: certified 96.10 %, corridor 94.00–97.50 %; the bets below pay exactly 96 %.
    await seedGameConfigs(fleet.gatewaySchema, fleet.tenantId, [
      certifiedGameConfig('starburst', {
        version: 'starburst-1.2',
        certifiedRtpBp: 9_610,
        corridorBp: { min: 9_400, max: 9_750 },
      }),
    ]);
    const relayUrl = listeningUrlOf(fleet.relay.output);
    noc = await startServiceProcess('noc', {
      env: {
        ...fleet.topics.env,
        NOC_SCRAPE_TARGETS: [
          `bet-gateway=${fleet.gateway.url}`,
          `settle-worker=${fleet.worker?.url}`,
          `outbox-relay=${relayUrl}`,
        ].join(','),
        NOC_SCRAPE_INTERVAL_MS: '500',
      },
      waitForLines: ['consuming rgs.rounds.v1 and rgs.settlements.v1'],
    });
    profile = mkdtempSync(join(tmpdir(), 'pitboss-noc-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath,
      headless: true,
      args: CHROMIUM_FLAGS,
      viewport: { width: 1400, height: 1500 },
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text());
    });
  }, 600_000);

  afterAll(async () => {
    await context?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
    await noc?.kill();
    await fleet?.stop();
  });

  const text = (selector: string) => page.locator(selector).innerText();

  it('shows bets/min, RTP against the corridor, hit rate and the other panels moving with the traffic', async () => {
    await page.goto(noc.url);
    await expectEventually(async () => expect(await text('#connection')).toBe('live'), { timeoutMs: 10_000 });
    await expectEventually(async () => expect(await text('#bets-per-minute')).toBe('0'), {
      timeoutMs: 10_000,
    });
    expect(await text('#rtp-table tbody')).toContain('no settled bets in the window yet');

    const germany = await openTestPlayer(fleet, { cash: 100_000, country: 'DE' });
    const sweden = await openTestPlayer(fleet, { cash: 100_000, country: 'SE' });
    const broke = await openTestPlayer(fleet, { cash: 50, country: 'SE' });

    // Ten bets of 1.00: four pay 2.40, six lose: RTP 9.60 / 10.00 = 96 %, hit rate 40 %.
    const wins = [240, 0, 0, 240, 0, 240, 0, 0, 240, 0];
    await Promise.all(wins.map((win, index) => playRound(index % 2 === 0 ? germany : sweden, win)));
    const refused = await fleet.http.post('/v1/bets/authorize', authorizeBody(broke), { key: randomUUID() });
    expect(refused.body).toMatchObject({ error: { code: 'INSUFFICIENT_FUNDS' } });

    await expectEventually(
      async () => {
        expect(Number(await text('#bets-per-minute'))).toBeGreaterThan(0);
        const row = page.locator('#rtp-table tr[data-game="starburst"][data-currency="EUR"]');
        expect(await row.locator('td').nth(3).innerText()).toBe('10');
        expect(await row.locator('td.rtp').innerText()).toBe('96.00 %');
        expect(await row.locator('td.rtp').getAttribute('class')).toContain('in');
        expect(await row.innerText()).toContain('94.00 % – 97.50 % (cert. 96.10 %)');
        expect(await row.innerText()).toContain('starburst-1.2');
        expect(await text('#hit-rate')).toBe('40.0 %');
      },
      { timeoutMs: 60_000, intervalMs: 500 },
    );

    await expectEventually(
      async () => {
        expect(await text('#settle-lag-p95')).toMatch(/^[\d.]+ m?s$/);
        expect(await text('#rejection-codes')).toMatch(/INSUFFICIENT_FUNDS\s+1/);
        const heat = await text('#heatmap');
        expect(heat).toContain('DE');
        expect(heat).toContain('SE');
        expect(await text('#wallet-table')).toMatch(/bet-gateway.*closed/s);
        expect(await text('#wallet-table')).toMatch(/settle-worker.*closed/s);
        expect(await text('#targets')).not.toContain('down');
        expect(await text('#degraded-mode')).toBe('mode: normal');
        expect(await text('#consumer')).toBe('consumer: live');
        expect(await text('#dlq')).toContain('rgs.rounds.v1.dlq');
        expect(await text('#outbox-lag')).toContain(fleet.gatewaySchema);
      },
      { timeoutMs: 30_000, intervalMs: 500 },
    );

    mkdirSync(join(SCREENSHOT, '..'), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(statSync(SCREENSHOT).size).toBeGreaterThan(10_000);
    // Every snapshot rendered: the script logs one that failed, and an exception would land here too.
    expect(pageErrors).toEqual([]);
  });

  async function playRound(player: TestPlayer, win: number): Promise<void> {
    const bet = authorizeBody(player, { amount: { minor_units: 100, currency: 'EUR' } });
    const authorized = await fleet.http.post('/v1/bets/authorize', bet, { key: randomUUID() });
    if (authorized.status !== 200) throw new Error(`authorize answered ${authorized.status}`);
    const settled = await fleet.http.post(
      '/v1/bets/settle',
      { bet_id: bet.bet_id, round_id: bet.round_id, win: { minor_units: win, currency: 'EUR' } },
      { key: randomUUID() },
    );
    if (settled.status !== 202) throw new Error(`settle answered ${settled.status}`);
  }
});

/** `http://…` from a service's "listening on" log line. */
function listeningUrlOf(output: readonly string[]): string {
  for (const line of output) {
    const url = /listening on (http:\/\/[^\s"]+)/.exec(line)?.[1];
    if (url !== undefined) return url.replace('0.0.0.0', '127.0.0.1');
  }
  throw new Error(`no "listening on" line in:\n${output.join('\n')}`);
}
