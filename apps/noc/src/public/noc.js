// The NOC page: one EventSource on /stream, one render per snapshot. Every text from the events (game ids,
// countries, codes come from aggregators) is set with textContent, never as HTML.
(function () {
  'use strict';

  const HISTORY_POINTS = 600;
  const latencyHistory = { at: [], settle: [], wallet: [] };
  let betsChart;
  let latencyChart;

  const byId = (id) => document.getElementById(id);

  function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (value === undefined || value === null) continue;
      if (name === 'style') node.setAttribute('style', value);
      else node.setAttribute(name, String(value));
    }
    for (const child of children) node.append(child instanceof Node ? child : String(child));
    return node;
  }

  function fill(tbodyParent, rows, columns, emptyText) {
    const tbody = tbodyParent.tagName === 'TBODY' ? tbodyParent : tbodyParent.querySelector('tbody');
    tbody.replaceChildren();
    if (rows.length === 0) {
      tbody.append(el('tr', {}, el('td', { colspan: columns, class: 'empty' }, emptyText)));
      return;
    }
    for (const row of rows) tbody.append(row);
  }

  const integer = (n) => (n === null || n === undefined ? '–' : Math.round(n).toLocaleString('en'));
  const percent = (ratio, digits = 1) =>
    ratio === null || ratio === undefined || Number.isNaN(ratio) ? '–' : `${(ratio * 100).toFixed(digits)} %`;
  function duration(seconds) {
    if (seconds === null || seconds === undefined || Number.isNaN(seconds)) return '–';
    if (seconds < 1) return `${Math.round(seconds * 1000)} ms`;
    if (seconds < 120) return `${seconds.toFixed(seconds < 10 ? 2 : 1)} s`;
    return `${Math.round(seconds / 60)} min`;
  }
  const clock = (ms) => new Date(ms).toLocaleTimeString('en-GB');

  function setBadge(id, text, level) {
    const badge = byId(id);
    badge.textContent = text;
    badge.className = `badge ${level}`;
  }

  function chartWidth(id) {
    return Math.max(300, byId(id).clientWidth - 4);
  }

  function renderBets(snapshot) {
    const rounds = snapshot.rounds;
    byId('bets-per-minute').textContent = integer(rounds.betsPerMinute);
    byId('bets-window').textContent =
      `${integer(rounds.authorized)} authorized, ${integer(rounds.rejected)} rejected in ${rounds.windowMs / 60000} min`;
    const data = [rounds.betsSeries.at.map((ms) => ms / 1000), rounds.betsSeries.perMinute];
    if (!betsChart) {
      betsChart = new uPlot(
        {
          width: chartWidth('chart-bets'),
          height: 200,
          scales: { x: { time: true }, y: { range: (u, min, max) => [0, Math.max(10, max * 1.1)] } },
          axes: [
            { stroke: '#8593a3', grid: { stroke: '#2a323c' } },
            { stroke: '#8593a3', grid: { stroke: '#2a323c' } },
          ],
          series: [{}, { label: 'bets/min', stroke: '#4aa3ff', fill: 'rgba(74,163,255,0.15)', width: 2 }],
        },
        data,
        byId('chart-bets'),
      );
    } else betsChart.setData(data);
  }

  function renderLatency(snapshot) {
    const { scraped } = snapshot;
    byId('settle-lag-p95').textContent = duration(scraped.settleLagP95Seconds);
    byId('settle-lag-sub').textContent = `${integer(scraped.settlements)} credits confirmed in the window`;
    const walletP95 = scraped.wallet
      .map((w) => w.p95Seconds)
      .filter((v) => v !== null)
      .reduce((a, b) => Math.max(a, b), null);
    latencyHistory.at.push(snapshot.at / 1000);
    latencyHistory.settle.push(scraped.settleLagP95Seconds);
    latencyHistory.wallet.push(walletP95);
    for (const series of Object.values(latencyHistory))
      if (series.length > HISTORY_POINTS) series.splice(0, series.length - HISTORY_POINTS);
    const data = [latencyHistory.at, latencyHistory.settle, latencyHistory.wallet];
    if (!latencyChart) {
      latencyChart = new uPlot(
        {
          width: chartWidth('chart-latency'),
          height: 200,
          scales: { x: { time: true } },
          axes: [
            { stroke: '#8593a3', grid: { stroke: '#2a323c' } },
            {
              stroke: '#8593a3',
              grid: { stroke: '#2a323c' },
              size: 70,
              values: (u, ticks) => ticks.map(duration),
            },
          ],
          series: [
            {},
            { label: 'settle lag p95', stroke: '#e0a43a', width: 2, value: (u, v) => duration(v) },
            { label: 'wallet call p95 (max)', stroke: '#3fb67a', width: 2, value: (u, v) => duration(v) },
          ],
        },
        data,
        byId('chart-latency'),
      );
    } else latencyChart.setData(data);
  }

  /** One scale for every row, so the rows' corridors and RTPs can be compared at a glance. */
  function rtpScale(rows) {
    const values = rows.flatMap((row) => [
      row.rtp,
      row.corridor && row.corridor.min,
      row.corridor && row.corridor.max,
    ]);
    const known = values.filter((v) => v !== null && v !== undefined && Number.isFinite(v));
    if (known.length === 0) return { lo: 0, hi: 1 };
    return { lo: Math.max(0, Math.min(...known) - 0.05), hi: Math.max(...known) + 0.05 };
  }

  function corridorBar(row, { lo, hi }) {
    const bar = el('div', { class: 'corridor-bar' });
    const at = (v) => `${(((Math.min(hi, Math.max(lo, v)) - lo) / (hi - lo)) * 100).toFixed(2)}%`;
    if (row.corridor) {
      const { min, max, certified } = row.corridor;
      bar.append(el('div', { class: 'band', style: `left:${at(min)};width:calc(${at(max)} - ${at(min)})` }));
      bar.append(el('div', { class: 'certified', style: `left:${at(certified)}` }));
    }
    if (row.rtp !== null)
      bar.append(
        el('div', { class: `actual ${row.inCorridor === false ? 'out' : ''}`, style: `left:${at(row.rtp)}` }),
      );
    return bar;
  }

  function renderRtp(snapshot) {
    const rounds = snapshot.rounds;
    byId('hit-rate').textContent = percent(rounds.hitRate);
    byId('hit-rate-sub').textContent = `${integer(rounds.settled)} bets settled in the window`;
    const scale = rtpScale(snapshot.rtp);
    const rows = snapshot.rtp.map((row) => {
      const corridor = row.corridor
        ? `${percent(row.corridor.min, 2)} – ${percent(row.corridor.max, 2)} (cert. ${percent(row.corridor.certified, 2)})`
        : 'no certified corridor';
      const judgement = row.inCorridor === null ? '' : row.inCorridor ? 'in' : 'out';
      return el(
        'tr',
        { 'data-game': row.game, 'data-currency': row.currency },
        el('td', {}, row.game),
        el('td', {}, row.currency),
        el('td', { class: 'muted' }, row.mathVersion || '–'),
        el('td', { class: 'num' }, integer(row.settled)),
        el('td', { class: 'num' }, percent(row.hitRate)),
        el('td', { class: `num rtp ${judgement}` }, percent(row.rtp, 2)),
        el('td', { class: row.corridor ? '' : 'muted' }, corridor),
        el('td', {}, corridorBar(row, scale)),
      );
    });
    fill(byId('rtp-table'), rows, 8, 'no settled bets in the window yet');
  }

  function renderWallet(snapshot) {
    const rows = snapshot.scraped.wallet.map((w) =>
      el(
        'tr',
        {},
        el('td', {}, w.service),
        el('td', { class: 'num' }, duration(w.p95Seconds)),
        el('td', { class: 'num' }, integer(w.calls)),
        el('td', { class: `num ${w.uncertain > 0 ? 'out' : ''}` }, integer(w.uncertain)),
        el('td', { class: 'num' }, integer(w.rejected)),
        el('td', {}, el('span', { class: `badge state-${w.circuit || 'unknown'}` }, w.circuit || 'unknown')),
      ),
    );
    fill(byId('wallet-table'), rows, 6, 'no service reports wallet calls');
  }

  function renderCodes(id, codes, emptyText) {
    const list = byId(id);
    list.replaceChildren();
    if (codes.length === 0) list.append(el('li', { class: 'muted' }, emptyText));
    for (const { code, count } of codes)
      list.append(el('li', {}, el('span', {}, code), el('span', {}, integer(count))));
  }

  function renderHeat(snapshot) {
    const { countries, games, bets } = snapshot.rounds.heat;
    const table = byId('heatmap');
    const max = Math.max(1, ...bets.flat());
    const rows = [];
    if (games.length > 0) {
      rows.push(el('tr', {}, el('th', {}, 'country'), ...games.map((game) => el('th', {}, game))));
      countries.forEach((country, i) => {
        const cells = games.map((game, j) => {
          const n = bets[i][j];
          const alpha = n === 0 ? 0 : 0.15 + 0.85 * (n / max);
          return el(
            'td',
            { class: 'cell', style: `background: rgba(74,163,255,${alpha.toFixed(3)})` },
            n === 0 ? '' : n,
          );
        });
        rows.push(el('tr', {}, el('th', {}, country === null ? 'unknown' : country), ...cells));
      });
    }
    fill(table, rows, 1, 'no bets in the window yet');
  }

  function renderPipes(snapshot) {
    const { scraped, deadLetters } = snapshot;
    fill(
      byId('consumer-lag'),
      scraped.consumerLag.map((lag) =>
        el(
          'tr',
          {},
          el('td', {}, lag.service),
          el('td', {}, lag.topic),
          el('td', { class: 'num' }, integer(lag.messages)),
        ),
      ),
      3,
      'no consumer reports lag yet',
    );
    const parked = new Map();
    for (const d of scraped.deadLettered) parked.set(d.topic, (parked.get(d.topic) || 0) + d.messages);
    const known = deadLetters.filter((d) => d.messages !== null);
    byId('dlq-total').textContent =
      known.length === 0 ? '–' : integer(known.reduce((s, d) => s + d.messages, 0));
    fill(
      byId('dlq'),
      deadLetters.map((d) =>
        el(
          'tr',
          {},
          el('td', {}, `${d.topic}.dlq`),
          el(
            'td',
            { class: `num ${d.messages > 0 ? 'out' : ''}` },
            d.messages === null ? 'unknown' : integer(d.messages),
          ),
          el('td', { class: 'num' }, integer(parked.get(d.topic) || 0)),
        ),
      ),
      3,
      'no topics',
    );
    const maxLag = scraped.outboxLag.reduce((m, o) => Math.max(m, o.seconds), null);
    byId('outbox-lag-max').textContent = duration(maxLag);
    byId('outbox-lag-sub').textContent = `${scraped.outboxLag.length} outbox sources relayed`;
    fill(
      byId('outbox-lag'),
      scraped.outboxLag.map((o) =>
        el(
          'tr',
          {},
          el('td', {}, o.source),
          el('td', { class: 'num' }, duration(o.seconds)),
          el(
            'td',
            {},
            el('span', { class: `badge ${o.active ? 'ok' : 'warn'}` }, o.active ? 'active' : 'standby'),
          ),
        ),
      ),
      3,
      'no relay scraped',
    );
  }

  function renderMode(snapshot) {
    const { degraded } = snapshot.scraped;
    if (!degraded.known) setBadge('degraded-mode', 'mode: unknown', 'unknown');
    else if (degraded.noNewSessions)
      setBadge('degraded-mode', `DEGRADED: no new sessions (${degraded.sources.join(', ')})`, 'bad');
    else setBadge('degraded-mode', 'mode: normal', 'ok');
    byId('degraded-detail').textContent = !degraded.known
      ? 'no gateway scraped'
      : degraded.noNewSessions
        ? `new sessions refused, switched by: ${degraded.sources.join(', ')}`
        : 'new sessions accepted';
    fill(
      byId('backlog'),
      degraded.backlog.map((b) =>
        el('tr', {}, el('td', {}, b.tenant), el('td', { class: 'num' }, integer(b.settlements))),
      ),
      2,
      'no settlement backlog',
    );
  }

  function renderTargets(snapshot) {
    fill(
      byId('targets'),
      snapshot.scraped.targets.map((t) =>
        el(
          'tr',
          { title: t.error || '' },
          el('td', {}, t.target),
          el('td', {}, el('span', { class: `badge state-${t.up ? 'up' : 'down'}` }, t.up ? 'up' : 'down')),
          el('td', { class: 'muted' }, t.lastScrapeAt ? clock(t.lastScrapeAt) : t.error || '–'),
        ),
      ),
      3,
      'no targets configured',
    );
  }

  function render(snapshot) {
    setBadge(
      'consumer',
      snapshot.consuming ? 'consumer: live' : 'consumer: joining…',
      snapshot.consuming ? 'ok' : 'warn',
    );
    byId('updated').textContent = `updated ${clock(snapshot.at)}`;
    renderBets(snapshot);
    renderLatency(snapshot);
    renderRtp(snapshot);
    renderWallet(snapshot);
    renderCodes('rejection-codes', snapshot.rounds.topRejections, 'none in the window');
    renderCodes('api-error-codes', snapshot.scraped.apiErrors, 'none in the window');
    renderHeat(snapshot);
    renderPipes(snapshot);
    renderMode(snapshot);
    renderTargets(snapshot);
  }

  const source = new EventSource('/stream');
  source.addEventListener('open', () => setBadge('connection', 'live', 'ok'));
  source.addEventListener('error', () => setBadge('connection', 'reconnecting…', 'bad'));
  source.addEventListener('snapshot', (event) => {
    try {
      render(JSON.parse(event.data));
    } catch (error) {
      console.error('snapshot not rendered', error);
    }
  });
  window.addEventListener('resize', () => {
    if (betsChart) betsChart.setSize({ width: chartWidth('chart-bets'), height: 200 });
    if (latencyChart) latencyChart.setSize({ width: chartWidth('chart-latency'), height: 200 });
  });
})();
