import * as fs from 'fs';
import * as path from 'path';
import { expect, type Page, type Response, type TestInfo } from '@playwright/test';
import type { E2ESelectorGroups } from '@grafana/plugin-e2e';

import { PYROSCOPE } from './stack';

/** Where screenshots and the report go (git-ignored); the container mounts it from e2e/results. */
export const RESULTS_DIR = process.env.E2E_RESULTS_DIR ?? path.join(__dirname, '..', 'results');

/**
 * Hand-written selectors: what @grafana/e2e-selectors 13.2.2 has no entry for. Each names the
 * upstream file it was read from and the version that could be read here (the grafana/grafana
 * repository is read file by file, from a stored copy of its main branch, not at the v13.2.2 tag).
 */
export const HAND_WRITTEN = {
  /**
   * The flame graph canvas: `data-testid="flameGraph"` in
   * packages/grafana-flamegraph/src/FlameGraph/FlameGraphCanvas.tsx, read in the published
   * @grafana/flamegraph 13.0.1 (the newest on the npm registry reachable here; no 13.2.x).
   */
  flameGraphCanvas: '[data-testid="flameGraph"]',
  /**
   * uPlot's event layer inside a time series panel, where a drag selects a time range:
   * class `u-over`, as Grafana's own Playwright helper getUPlotCenterPosition locates it
   * (e2e-playwright utils in grafana/grafana, stored main-branch copy).
   */
  uPlotOver: '.u-over',
  /**
   * A span row's name button in the trace view: `role="switch"`, its text the service and
   * span name, a click toggles the span's details. Read in
   * public/app/features/explore/TraceView/components/TraceTimelineViewer/SpanBarRow.tsx
   * (stored main-branch copy, 13.x era).
   */
  spanRowRole: 'switch' as const,
  /**
   * Span detail links: more than 3 links fold into a button with aria-label "Links" whose menu
   * items carry the link titles; the profiles link is titled "Profiles for this span". Read in
   * public/app/features/explore/TraceView/components/TraceTimelineViewer/SpanDetail/SpanDetailLinkButtons.tsx
   * (stored main-branch copy using @grafana/i18n and ShareSpanButton, 13.x era: MAX_LINKS = 3).
   */
  spanLinksMenu: 'Links',
  profilesForThisSpan: 'Profiles for this span',
  /**
   * The Profiles Drilldown app's diff view: its panel has `data-testid="diff-flame-graph-panel"`
   * and, until both ranges are chosen, a banner starting "Select both the baseline and the
   * comparison flame graph ranges". Read in grafana/explore-profiles
   * src/pages/ProfilesExplorerView/components/SceneExploreDiffFlameGraph/components/SceneDiffFlameGraph/
   * SceneDiffFlameGraph.tsx and ui/MissingSelectionsBanner.tsx (snapshot of May 2025, app 1.4.0;
   * the app Grafana installs may be newer).
   */
  diffFlameGraphPanel: '[data-testid="diff-flame-graph-panel"]',
  diffMissingSelections: 'Select both the baseline and the comparison flame graph ranges',
  diffNoData: 'No profile data available',
  /** The panel framework's empty-panel text (PanelDataErrorView.tsx, stored copy): "No data". */
  noDataText: 'No data',
};

/** A line for the report: what this step saw. */
export function seen(testInfo: TestInfo, text: string): void {
  testInfo.annotations.push({ type: 'seen', description: text });
}

/** A full-page screenshot under results/screenshots, attached to the step in the report. */
export async function shot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const step = testInfo.title.split(' ')[0];
  const file = path.join(RESULTS_DIR, 'screenshots', `${step}-${name}.png`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  await page.screenshot({ path: file, fullPage: true }).catch(() => undefined);
  if (fs.existsSync(file)) {
    await testInfo.attach(name, { path: file, contentType: 'image/png' });
  }
}

/** The admin password `make up` generated (.env.local), handed in by scripts/e2e.sh. */
export function adminPassword(): string {
  const password = process.env.GRAFANA_ADMIN_PASSWORD ?? '';
  if (!password) {
    throw new Error('GRAFANA_ADMIN_PASSWORD is not set: make e2e reads it from .env.local (written by make up)');
  }
  return password;
}

/** Logs in through Grafana's login form, with the selectors of the running Grafana's version. */
export async function logIn(page: Page, selectors: E2ESelectorGroups): Promise<void> {
  const password = adminPassword();
  await page.goto(selectors.pages.Login.url);
  await page.getByTestId(selectors.pages.Login.username).fill('admin');
  await page.getByTestId(selectors.pages.Login.password).fill(password);
  await page.getByTestId(selectors.pages.Login.submit).click();
  await expect(page, 'the login form should accept the password in .env.local').not.toHaveURL(/\/login/, {
    timeout: 15_000,
  });
}

/** One node of a flame graph as Grafana's Pyroscope data source returns it (nested set). */
export interface FlameNode {
  level: number;
  value: number;
  label: string;
}

/** A profile query the page sent to /api/ds/query, with what came back. */
export interface ProfileQuery {
  profileTypeId: string;
  labelSelector: string;
  queryType: string;
  from: number;
  to: number;
  nodes: FlameNode[];
}

/**
 * Records every Pyroscope query the page makes from now on. Reading the panel's data from the
 * query response (the same frames the flame graph draws) is what makes "widest frame" checkable:
 * the flame graph itself is a canvas.
 */
export function recordProfileQueries(page: Page, selectors: E2ESelectorGroups): ProfileQuery[] {
  const recorded: ProfileQuery[] = [];
  page.on('response', (response: Response) => {
    if (!response.url().includes(selectors.apis.DataSource.query) || response.request().method() !== 'POST') {
      return;
    }
    let body: any;
    try {
      body = response.request().postDataJSON();
    } catch {
      return;
    }
    const queries: any[] = (body?.queries ?? []).filter((q: any) => q?.datasource?.uid === PYROSCOPE);
    if (queries.length === 0) {
      return;
    }
    response
      .json()
      .then((json: any) => {
        for (const q of queries) {
          recorded.push({
            profileTypeId: String(q.profileTypeId ?? ''),
            labelSelector: String(q.labelSelector ?? ''),
            queryType: String(q.queryType ?? ''),
            from: Number(body.from),
            to: Number(body.to),
            nodes: flameNodes(json?.results?.[q.refId]),
          });
        }
      })
      .catch(() => undefined);
  });
  return recorded;
}

/** The nested-set frame (fields level, value, label; label may be an enum) of one query result. */
export function flameNodes(result: any): FlameNode[] {
  for (const frame of result?.frames ?? []) {
    const fields: any[] = frame?.schema?.fields ?? [];
    const values: any[][] = frame?.data?.values ?? [];
    const at = (name: string) => fields.findIndex((f) => f?.name === name);
    const [level, value, label] = [at('level'), at('value'), at('label')];
    if (level < 0 || value < 0 || label < 0 || !values[label]) {
      continue;
    }
    const names: string[] | undefined = fields[label]?.config?.type?.enum?.text;
    return values[label].map((raw: any, i: number) => ({
      level: Number(values[level][i]),
      value: Number(values[value][i]),
      label: names && typeof raw === 'number' ? names[raw] : String(raw),
    }));
  }
  return [];
}

/** Java frames arrive as `io/profilingkit/.../Class.method` or dotted; compare on `Class.method`. */
function matches(label: string, classAndMethod: string): boolean {
  return label.replace(/\//g, '.').includes(classAndMethod);
}

/** The share of all samples spent in (or under) frames of this method. */
export function shareOf(nodes: FlameNode[], classAndMethod: string): number {
  const root = nodes.find((n) => n.level === 0)?.value ?? 0;
  if (root <= 0) {
    return 0;
  }
  const inMethod = nodes.filter((n) => matches(n.label, classAndMethod)).reduce((sum, n) => sum + n.value, 0);
  return Math.min(1, inMethod / root);
}

/** The widest frames (by total, summed over call paths), root excluded: what the eye sees first. */
export function widestFrames(nodes: FlameNode[], count: number): Array<{ label: string; share: number }> {
  const root = nodes.find((n) => n.level === 0)?.value ?? 0;
  const totals = new Map<string, number>();
  for (const n of nodes) {
    if (n.level > 0) {
      totals.set(n.label, (totals.get(n.label) ?? 0) + n.value);
    }
  }
  return [...totals.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([label, total]) => ({ label, share: root > 0 ? total / root : 0 }));
}

export function isAmong(frames: Array<{ label: string }>, classAndMethod: string): boolean {
  return frames.some((f) => matches(f.label, classAndMethod));
}

export function percent(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}

/** Short for the report: the last two segments of a Java frame. */
export function shortName(label: string): string {
  return label.replace(/\//g, '.').split('.').slice(-2).join('.');
}
