import { expect, test } from '@grafana/plugin-e2e';
import type { Page } from '@playwright/test';

import {
  HAND_WRITTEN,
  isAmong,
  logIn,
  percent,
  recordProfileQueries,
  seen,
  shareOf,
  shortName,
  shot,
  widestFrames,
} from '../lib/grafana';
import {
  CPU,
  diffLink,
  EXEMPLAR_LINK,
  INCIDENT_FRAME,
  INCIDENT_QUERY,
  IO_CPU_FLAME_PANEL,
  IO_FRAME,
  IO_VS_CPU,
  IO_WALL_FLAME_PANEL,
  LATENCY_PANEL,
  OVERVIEW,
  OVERVIEW_CPU_FLAME_PANEL,
  PRIMES_FRAME,
  PRIMES_SERVER_SPAN,
  PROMETHEUS,
  SERVICE,
  SLOW_TRACES_PANEL,
  WALL,
} from '../lib/stack';

/**
 * The guide's click path (docs/workshop.md, docs/stack.md "The click path"), walked in a browser
 * against the running stack. Grafana's own selectors come from @grafana/e2e-selectors at the
 * pinned Grafana version (through plugin-e2e's `selectors` fixture); the few it has no entry for
 * are in lib/grafana.ts (HAND_WRITTEN), each with the upstream file it was read from.
 */

test.afterEach(async ({ page }, testInfo) => {
  if (testInfo.status !== testInfo.expectedStatus) {
    await shot(page, testInfo, 'at-failure');
  }
});

test('1 login with the generated password; service overview has no "No data" panel', async ({
  page,
  selectors,
  gotoDashboardPage,
}, testInfo) => {
  await logIn(page, selectors);
  seen(testInfo, 'logged in as admin with GRAFANA_ADMIN_PASSWORD');

  const dashboardPage = await gotoDashboardPage({ uid: OVERVIEW });
  // Lazy panels query only once scrolled into view: scroll through all of them, then wait.
  await dashboardPage.waitForPanelsQueriesToComplete({ scrollAll: true, timeout: 60_000 });

  const panels = page.locator(`[data-testid^="${selectors.components.Panels.Panel.title('')}"]`);
  const count = await panels.count();
  const empty: string[] = [];
  for (let i = 0; i < count; i++) {
    const p = panels.nth(i);
    await p.scrollIntoViewIfNeeded();
    const title = ((await p.getAttribute('data-testid')) ?? '').replace(selectors.components.Panels.Panel.title(''), '');
    const noData = p.getByTestId(selectors.components.Panels.Panel.PanelDataErrorMessage);
    const noDataText = p.getByText(HAND_WRITTEN.noDataText, { exact: true });
    const error = p.getByTestId(selectors.components.Panels.Panel.status('error'));
    if ((await noData.count()) + (await noDataText.count()) + (await error.count()) > 0) {
      empty.push(title);
    }
  }
  await page.evaluate(() => window.scrollTo(0, 0));
  await shot(page, testInfo, 'service-overview');
  seen(testInfo, `${count} panels on the service overview; without data or with an error: ${empty.length ? empty.join('; ') : 'none'}`);
  expect(count, 'the service overview should show its panels').toBeGreaterThanOrEqual(10);
  expect(empty, 'every panel of the service overview should show data').toEqual([]);
});

test('2 select a window on the latency panel; the CPU flame graph re-queries it, the incident is among its widest frames', async ({
  page,
  selectors,
  gotoDashboardPage,
}, testInfo) => {
  await logIn(page, selectors);
  const incident = await lastCompleteIncident(page);
  seen(testInfo, `last complete incident: ${iso(incident.start)} to ${iso(incident.end)} (from ${INCIDENT_QUERY})`);

  // A window of a few minutes around the incident, so that its latency spike is in the middle.
  const from = incident.start - 150_000;
  const to = Math.min(Date.now(), incident.end + 150_000);
  const profiles = recordProfileQueries(page, selectors);
  const dashboardPage = await gotoDashboardPage({ uid: OVERVIEW, timeRange: { from: String(from), to: String(to) } });
  await dashboardPage.waitForPanelsQueriesToComplete({ timeout: 60_000 });

  const latency = dashboardPage.getPanelByTitle(LATENCY_PANEL);
  const plot = latency.locator.locator(HAND_WRITTEN.uPlotOver);
  await plot.scrollIntoViewIfNeeded();
  const box = await plot.boundingBox();
  expect(box, 'the latency panel should draw its plot').not.toBeNull();
  const x = (t: number) => box!.x + ((t - from) / (to - from)) * box!.width;
  const y = box!.y + box!.height / 2;

  // Drag across the incident (a little inside it): Grafana zooms the dashboard to the selection.
  const before = page.url();
  await page.mouse.move(x(incident.start + 2_000), y);
  await page.mouse.down();
  await page.mouse.move(x(incident.end - 2_000), y, { steps: 12 });
  await page.mouse.up();
  await expect.poll(() => page.url(), { message: 'the drag should change the dashboard time range' }).not.toBe(before);
  const url = new URL(page.url());
  const selected = { from: Number(url.searchParams.get('from')), to: Number(url.searchParams.get('to')) };
  seen(testInfo, `selected on the latency panel: ${iso(selected.from)} to ${iso(selected.to)}`);

  const flame = dashboardPage.getPanelByTitle(OVERVIEW_CPU_FLAME_PANEL);
  await flame.scrollIntoView();
  const isFlameQuery = (q: (typeof profiles)[number]) =>
    q.profileTypeId === CPU && q.labelSelector === `{service_name="${SERVICE}"}` && q.queryType.includes('profile');
  await expect
    .poll(() => profiles.some((q) => isFlameQuery(q) && q.from === selected.from && q.to === selected.to), {
      message: 'the CPU flame graph panel should query exactly the selected window',
      timeout: 60_000,
    })
    .toBe(true);
  const query = profiles.filter((q) => isFlameQuery(q) && q.from === selected.from && q.to === selected.to).pop()!;
  await expect(flame.locator.locator(HAND_WRITTEN.flameGraphCanvas)).toBeVisible();
  await shot(page, testInfo, 'incident-window');

  const widest = widestFrames(query.nodes, 10);
  seen(testInfo, `flame graph query from=${query.from} to=${query.to} (the selection's), ${query.nodes.length} frames`);
  seen(testInfo, `widest: ${widest.map((f) => `${shortName(f.label)} ${percent(f.share)}`).join(', ')}`);
  seen(testInfo, `${INCIDENT_FRAME}: ${percent(shareOf(query.nodes, INCIDENT_FRAME))} of the window's CPU samples`);
  expect(isAmong(widest, INCIDENT_FRAME), `${INCIDENT_FRAME} should be among the 10 widest frames`).toBe(true);
});

test('3 exemplar → trace with the route-named server span and its child → "Profiles for this span" shows the workload', async ({
  page,
  selectors,
  gotoDashboardPage,
}, testInfo) => {
  await logIn(page, selectors);
  const attempts = 10;
  let found = false;
  for (let attempt = 0; attempt < attempts && !found; attempt++) {
    const dashboardPage = await gotoDashboardPage({ uid: OVERVIEW, timeRange: { from: 'now-15m', to: 'now' } });
    await dashboardPage.waitForPanelsQueriesToComplete({ timeout: 60_000 });
    const markers = dashboardPage
      .getPanelByTitle(LATENCY_PANEL)
      .locator.getByTestId(selectors.components.DataSource.Prometheus.exemplarMarker);
    await expect(markers.first(), 'the latency panel should show exemplars').toBeVisible();
    const count = await markers.count();
    // Spread the tries over the markers: they are grouped by series, one route after another.
    const marker = markers.nth((attempt * 7) % count);
    await marker.click();
    await page.getByText(EXEMPLAR_LINK, { exact: true }).first().click();
    await expect(page.getByTestId(selectors.components.TraceViewer.spanBar).first()).toBeVisible({ timeout: 60_000 });
    const server = page.getByRole(HAND_WRITTEN.spanRowRole, { name: new RegExp(escape(PRIMES_SERVER_SPAN)) });
    if ((await server.count()) === 0) {
      const names = await page.getByRole(HAND_WRITTEN.spanRowRole).allInnerTexts();
      seen(testInfo, `exemplar ${attempt + 1} of ${count}: not a primes trace (${names.slice(0, 2).join(' / ')})`);
      continue;
    }
    found = true;
    seen(testInfo, `exemplar ${attempt + 1} of ${count} opened ${page.url().includes('/explore') ? 'Explore' : page.url()}`);
  }
  expect(found, `one of ${attempts} exemplars should open a trace of ${PRIMES_SERVER_SPAN}`).toBe(true);

  const child = page.getByRole(HAND_WRITTEN.spanRowRole, { name: new RegExp(escape(PRIMES_FRAME)) }).first();
  await expect(child, `the trace should have the child span ${PRIMES_FRAME}`).toBeVisible();
  seen(testInfo, `trace view: server span "${PRIMES_SERVER_SPAN}" with child span "${PRIMES_FRAME}"`);
  await shot(page, testInfo, 'trace');

  await child.click();
  const profilesLink = page.getByText(HAND_WRITTEN.profilesForThisSpan, { exact: true }).first();
  if (!(await profilesLink.isVisible())) {
    // More than three span links: they are folded into the "Links" menu.
    await page.getByRole('button', { name: HAND_WRITTEN.spanLinksMenu }).first().click();
    seen(testInfo, `"${HAND_WRITTEN.profilesForThisSpan}" is in the "${HAND_WRITTEN.spanLinksMenu}" menu (more than 3 span links)`);
  } else {
    seen(testInfo, `"${HAND_WRITTEN.profilesForThisSpan}" is a button of the span`);
  }
  const profiles = recordProfileQueries(page, selectors);
  await page.getByText(HAND_WRITTEN.profilesForThisSpan, { exact: true }).first().click();
  await expect
    .poll(() => profiles.some((q) => q.profileTypeId === CPU && q.nodes.length > 0), {
      message: 'the profile link should query the CPU profile of the span and get a flame graph',
      timeout: 60_000,
    })
    .toBe(true);
  await expect(page.locator(HAND_WRITTEN.flameGraphCanvas).first()).toBeVisible();
  const query = profiles.filter((q) => q.profileTypeId === CPU && q.nodes.length > 0).pop()!;
  await shot(page, testInfo, 'profiles-for-this-span');
  seen(testInfo, `span profile: ${query.nodes.length} frames; ${PRIMES_FRAME} ${percent(shareOf(query.nodes, PRIMES_FRAME))} of its samples`);
  expect(shareOf(query.nodes, PRIMES_FRAME), `the span's flame graph should contain ${PRIMES_FRAME}`).toBeGreaterThan(0);
});

test('4 I/O vs CPU: slow traces listed; the wall-clock flame graph has the wait, the CPU one hardly', async ({
  page,
  selectors,
  gotoDashboardPage,
}, testInfo) => {
  await logIn(page, selectors);
  const profiles = recordProfileQueries(page, selectors);
  const dashboardPage = await gotoDashboardPage({ uid: IO_VS_CPU });
  await dashboardPage.waitForPanelsQueriesToComplete({ scrollAll: true, timeout: 60_000 });

  const table = dashboardPage.getPanelByTitle(SLOW_TRACES_PANEL);
  await table.scrollIntoView();
  await expect(table.data.first(), 'the slow-trace table should have rows').toBeVisible();
  seen(testInfo, `slow-trace table: ${await table.data.count()} cells`);

  for (const title of [IO_CPU_FLAME_PANEL, IO_WALL_FLAME_PANEL]) {
    const flame = dashboardPage.getPanelByTitle(title);
    await flame.scrollIntoView();
    await expect(flame.locator.locator(HAND_WRITTEN.flameGraphCanvas), `${title} should draw a flame graph`).toBeVisible();
  }
  const wall = () => profiles.filter((q) => q.profileTypeId === WALL && q.labelSelector.includes(`span_name="${IO_FRAME}"`));
  const cpu = () => profiles.filter((q) => q.profileTypeId === CPU && q.labelSelector === `{service_name="${SERVICE}"}`);
  await expect.poll(() => wall().length > 0 && cpu().length > 0, { message: 'both flame graphs should query', timeout: 60_000 }).toBe(true);
  await shot(page, testInfo, 'io-vs-cpu');

  const wallShare = shareOf(wall().pop()!.nodes, IO_FRAME);
  const cpuShare = shareOf(cpu().pop()!.nodes, IO_FRAME);
  seen(testInfo, `${IO_FRAME}: ${percent(wallShare)} of the I/O spans' wall-clock samples, ${percent(cpuShare)} of the service's CPU samples`);
  expect(wallShare, `the wall-clock flame graph should contain ${IO_FRAME}`).toBeGreaterThan(0);
  // Waiting costs no CPU: the method's CPU share is a rounding error next to primes and hashing.
  // 5% leaves room for a quiet service while still failing if the wait were spun on the CPU.
  expect(cpuShare, `the CPU flame graph should (nearly) not contain ${IO_FRAME}`).toBeLessThan(0.05);
});

test('5 the diff link of make upgrade opens a diff flame graph', async ({ page, selectors }, testInfo) => {
  await logIn(page, selectors);
  const link = diffLink(Date.now());
  seen(testInfo, `opened ${link}`);
  await page.goto(link);
  const panel = page.locator(HAND_WRITTEN.diffFlameGraphPanel);
  await expect(panel, 'Profiles Drilldown should show its diff flame graph panel').toBeVisible({ timeout: 60_000 });
  await expect(panel.getByText(HAND_WRITTEN.diffMissingSelections)).toHaveCount(0);
  await expect(panel.locator(HAND_WRITTEN.flameGraphCanvas), 'the diff view should draw a flame graph').toBeVisible({
    timeout: 60_000,
  });
  await expect(panel.getByText(HAND_WRITTEN.diffNoData)).toHaveCount(0);
  await shot(page, testInfo, 'diff-flame-graph');
  seen(testInfo, 'diff flame graph drawn for both ranges');
});

/** The last incident that has both started and ended, from the incident gauge in Prometheus. */
async function lastCompleteIncident(page: Page): Promise<{ start: number; end: number }> {
  const end = Math.floor(Date.now() / 1000);
  const response = await page.request.get(`/api/datasources/proxy/uid/${PROMETHEUS}/api/v1/query_range`, {
    params: { query: INCIDENT_QUERY, start: String(end - 1800), end: String(end), step: '5' },
  });
  expect(response.ok(), `Prometheus (through Grafana) should answer ${INCIDENT_QUERY}`).toBe(true);
  const points: Array<[number, string]> = (await response.json())?.data?.result?.[0]?.values ?? [];
  let start: number | undefined;
  let last: { start: number; end: number } | undefined;
  for (const [t, v] of points) {
    if (v === '1' && start === undefined) {
      start = t;
    } else if (v !== '1' && start !== undefined) {
      last = { start: start * 1000, end: t * 1000 };
      start = undefined;
    }
  }
  expect(last, 'an incident should have started and ended in the last 30 minutes (every 2 min, 60 s after start)').toBeDefined();
  return last!;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
