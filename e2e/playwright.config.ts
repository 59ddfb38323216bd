import * as path from 'path';
import { defineConfig, devices } from '@playwright/test';
import type { PluginOptions } from '@grafana/plugin-e2e';

import { RESULTS_DIR } from './lib/grafana';

/**
 * The browser walk of the workshop's click path (make e2e), against the stack `make up` started.
 * Reference: https://playwright.dev/docs/test-configuration and
 * https://grafana.com/developers/plugin-tools/e2e-test-a-plugin/
 */
const admin = { user: 'admin', password: process.env.GRAFANA_ADMIN_PASSWORD ?? '' };

export default defineConfig<PluginOptions>({
  testDir: './tests',
  outputDir: path.join(RESULTS_DIR, 'artifacts'),
  // One browser, the steps in order; a failed step does not skip the ones after it.
  workers: 1,
  fullyParallel: false,
  retries: 0,
  // A step waits for Grafana's queries (several data sources, a cold Pyroscope): minutes, not seconds.
  timeout: 180_000,
  expect: { timeout: 30_000 },
  reporter: [
    ['list'],
    ['./lib/report.ts'],
    ['json', { outputFile: path.join(RESULTS_DIR, 'results.json') }],
  ],
  use: {
    ...devices['Desktop Chrome'],
    baseURL: process.env.GRAFANA_URL ?? 'http://localhost:3000',
    viewport: { width: 1600, height: 1000 },
    // plugin-e2e's own API calls (boot data, selectors) use these; the walk logs in through the form.
    user: admin,
    grafanaAPICredentials: admin,
    // A click that finds nothing fails its step after 30 s instead of waiting out the step.
    actionTimeout: 30_000,
    navigationTimeout: 60_000,
    trace: 'retain-on-failure',
  },
  projects: [{ name: 'chromium' }],
});
