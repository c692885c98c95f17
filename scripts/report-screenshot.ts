/**
 * The README's picture of the keeper's report: a sample week of a channel (every question
 * routed by the real router, so outcomes, topics and confidences are its own, plus one
 * did-you-mean and its pick, which the trained router gives rarely), written to an in-memory
 * store, rendered by `llm-tutor report --html`'s renderer, and photographed in
 * headless Chromium (Debian's `chromium`, driven by playwright-core).
 *
 *   npx tsx scripts/report-screenshot.ts [out.png] [--text]
 *
 * `--text` prints the same sample's text report instead (the README shows one).
 */
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { memoryStore } from '../src/compose.js';
import { knowledgeBase, matchQuestion } from '../src/knowledge/index.js';
import { buildReport } from '../src/report/build.js';
import { renderHtmlReport } from '../src/report/html.js';
import { renderTextReport } from '../src/report/text.js';
import type { Store } from '../src/store/types.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 11, 3, 17);

/** What a channel asked in a week: questions for the tutor, and some it should decline. */
const ASKED = [
  'how much GPU memory does full fine-tuning of a 7B model need?',
  '全参数微调 7B 要多少显存?',
  'why does my model get dumber after SFT',
  '为什么SFT之后模型变笨了',
  'what is a token',
  'why can BERT only take 512 tokens?',
  'lora or full fine-tuning?',
  'how should I build an SFT dataset',
  'how do I split a long document for retrieval',
  'what data for continued pretraining on legal text',
  'how to avoid catastrophic forgetting',
  'how much data do I need',
  'instruction tuning vs fine-tuning, what is the difference',
  "what's the weather in Paris today",
  'what is the weather like in paris today?',
  'weather in Paris tomorrow',
  'how do I cook rice',
  'best way to cook rice?',
  'who won the world cup in 2018',
  'can you book me a flight to tokyo',
  '今天北京天气怎么样',
];

async function sampleWeek(store: Store): Promise<void> {
  for (let i = 0; i < ASKED.length * 2; i++) {
    const text = ASKED[(i * 11) % ASKED.length]!; // 11 and 21 are coprime: every text, twice
    const match = matchQuestion(text);
    const id = await store.logQuestion({
      askedAt: NOW - (6 - (i % 7)) * DAY - (i % 5) * 3_600_000,
      platform: i % 3 === 0 ? 'slack' : 'discord',
      channelKind: i % 4 === 0 ? 'dm' : 'channel',
      userHash: `sample-user-${i % 6}`,
      text,
      lang: match.lang,
      outcome: match.outcome,
      topic: match.topic,
      section: match.section,
      confidence: match.confidence,
    });
    if (match.outcome !== 'answer') continue;
    const bad = i % 7 === 3;
    await store.rate({
      questionId: id,
      userHash: `sample-rater-${i % 3}`,
      good: !bad,
      ratedAt: NOW - (6 - (i % 7)) * DAY,
      ...(bad ? { reason: i % 2 ? 'wrong section' : 'too long, I wanted the number' } : {}),
    });
  }
}

/** A did-you-mean between topics 9 and 3, and the user's pick of 3. */
async function didYouMean(store: Store): Promise<void> {
  const id = await store.logQuestion({
    askedAt: NOW - 2 * DAY,
    platform: 'slack',
    channelKind: 'channel',
    userHash: 'sample-user-1',
    text: 'which corpus for our legal-domain model?',
    lang: 'en',
    outcome: 'clarify',
    topic: 9,
    section: null,
    confidence: 0.42,
  });
  await store.recordPick(id, 3, NOW - 2 * DAY + 30_000);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const store = memoryStore();
  await sampleWeek(store);
  await didYouMean(store);
  const report = await buildReport(store, { days: 7, now: NOW, knowledge: knowledgeBase() });
  await store.close();
  if (args.includes('--text')) {
    process.stdout.write(`${renderTextReport(report)}\n`);
    return;
  }
  const out = args.find((a) => !a.startsWith('--')) ?? 'docs/report.png';
  const page = join(tmpdir(), `llm-tutor-report-${process.pid}.html`);
  writeFileSync(page, renderHtmlReport(report));
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox'],
  });
  try {
    const tab = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    await tab.goto(pathToFileURL(page).href, { waitUntil: 'load' });
    await tab.screenshot({ path: out, fullPage: true });
  } finally {
    await browser.close();
  }
  process.stdout.write(`Wrote ${out}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exitCode = 1;
});
