/**
 * The HTML report in a real browser: Debian's chromium, driven by playwright-core. The page
 * must draw its three charts (Chart.js instances on non-empty canvases), request nothing, and
 * log nothing to the console. Without chromium the test is skipped with a notice, except under
 * CI=true, where .ci/run installs it and a missing browser fails.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { memoryStore } from '../../src/compose.js';
import { knowledgeBase } from '../../src/knowledge/index.js';
import { buildReport } from '../../src/report/build.js';
import { renderHtmlReport } from '../../src/report/html.js';
import { tempDir } from '../quiz/helpers.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
const tmp = tempDir('llm-tutor-html-');
afterAll(() => tmp.cleanup());

if (!haveChromium && process.env.CI !== 'true') {
  console.warn(
    `[skipped] the HTML report's browser test: no chromium at ${CHROMIUM} (apt-get install -y chromium)`,
  );
}

async function samplePage(): Promise<string> {
  const store = memoryStore();
  const now = Date.UTC(2026, 11, 3, 12);
  const base = {
    platform: 'slack',
    channelKind: 'channel',
    userHash: 'h',
    lang: 'en',
    section: null,
    confidence: 0.9,
  } as const;
  for (let d = 0; d < 7; d++) {
    await store.logQuestion({
      ...base,
      askedAt: now - d * 86_400_000,
      text: `question ${d}`,
      outcome: 'answer',
      topic: (d % 10) + 1,
    });
    await store.logQuestion({
      ...base,
      askedAt: now - d * 86_400_000,
      text: `weather in paris <b>${d}</b>`,
      outcome: 'none',
      topic: null,
    });
  }
  const id = await store.logQuestion({
    ...base,
    askedAt: now,
    text: 'a <script>bad</script> one',
    outcome: 'answer',
    topic: 5,
  });
  await store.rate({
    questionId: id,
    userHash: 'h2',
    good: false,
    reason: '"wrong" & <odd>',
    ratedAt: now,
  });
  const report = await buildReport(store, { days: 14, now, knowledge: knowledgeBase() });
  const file = join(tmp.dir, 'report.html');
  writeFileSync(file, renderHtmlReport(report));
  return file;
}

describe('the HTML report in headless Chromium', () => {
  it.runIf(process.env.CI === 'true')('has chromium to run in (CI installs it)', () => {
    expect(haveChromium, `no chromium at ${CHROMIUM}`).toBe(true);
  });

  it.runIf(haveChromium)(
    'renders its charts offline with nothing on the console',
    async () => {
      const file = await samplePage();
      const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
      try {
        const page = await browser.newPage();
        const logged: string[] = [];
        const requested: string[] = [];
        page.on('console', (m) => logged.push(`${m.type()}: ${m.text()}`));
        page.on('pageerror', (e) => logged.push(`pageerror: ${e.message}`));
        page.on('request', (r) => requested.push(r.url()));
        await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
        // runs in the page (a string: the tests are compiled without the DOM's types)
        const charts =
          (await page.evaluate(`[...document.querySelectorAll('canvas')].map((canvas) => {
        const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
        let painted = 0;
        for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) painted++;
        return {
          id: canvas.id,
          chart: Boolean(window.Chart && window.Chart.getChart(canvas)),
          painted,
          instances: (window.reportCharts || []).length,
        };
      })`)) as { id: string; chart: boolean; painted: number; instances: number }[];
        expect(charts.map((c) => c.id)).toEqual(['chart-days', 'chart-topics', 'chart-clusters']);
        for (const c of charts) {
          expect(c.chart, c.id).toBe(true);
          expect(c.painted, c.id).toBeGreaterThan(1000);
          expect(c.instances).toBe(3);
        }
        expect(logged).toEqual([]);
        expect(requested).toEqual([pathToFileURL(file).href]);
        // user text is shown as text, never as markup
        expect(await page.locator('script').count()).toBe(3);
        expect(await page.locator('td b, li b').count()).toBe(0);
        const body = (await page.textContent('body')) ?? '';
        expect(body.includes('weather in paris <b>6</b>')).toBe(true);
        expect(body.includes('"wrong" & <odd>')).toBe(true);
      } finally {
        await browser.close();
      }
    },
    60_000,
  );
});
