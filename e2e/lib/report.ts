import * as fs from 'fs';
import * as path from 'path';
import type { FullResult, Reporter, TestCase, TestResult } from '@playwright/test/reporter';

import { RESULTS_DIR } from './grafana';

interface Row {
  step: string;
  status: string;
  seen: string[];
  screenshots: string[];
  error?: string;
}

/** Writes results/report.md: one row per step, pass or fail, what it saw, its screenshots. */
class StepReport implements Reporter {
  private readonly rows: Row[] = [];
  private readonly started = new Date();

  onTestEnd(test: TestCase, result: TestResult): void {
    this.rows.push({
      step: test.title,
      status: result.status === 'passed' ? 'PASS' : result.status === 'skipped' ? 'SKIPPED' : 'FAIL',
      seen: test.annotations.filter((a) => a.type === 'seen').map((a) => a.description ?? ''),
      screenshots: result.attachments
        .filter((a) => a.contentType === 'image/png' && a.path)
        .map((a) => path.relative(RESULTS_DIR, a.path as string)),
      error: result.error?.message?.split('\n')[0],
    });
  }

  onEnd(result: FullResult): void {
    if (this.rows.length === 0) {
      return; // `playwright test --list` runs nothing: no report
    }
    const lines = [
      '# make e2e: the click path in a browser',
      '',
      `Run ${this.started.toISOString()} against ${process.env.GRAFANA_URL ?? 'http://localhost:3000'}: ${result.status}.`,
      '',
      '| Step | Result | What was seen | Screenshots |',
      '|---|---|---|---|',
    ];
    for (const row of this.rows) {
      const seen = [...row.seen, ...(row.error ? [`error: ${row.error}`] : [])].map(cell).join('<br>');
      const shots = row.screenshots.map((s) => `[${path.basename(s)}](${s})`).join('<br>');
      lines.push(`| ${cell(row.step)} | ${row.status} | ${seen} | ${shots} |`);
    }
    fs.mkdirSync(RESULTS_DIR, { recursive: true });
    const file = path.join(RESULTS_DIR, 'report.md');
    fs.writeFileSync(file, lines.join('\n') + '\n');
    console.log(`e2e: report in ${file}`);
  }

  printsToStdio(): boolean {
    return false;
  }
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

export default StepReport;
