/**
 * Splitter benchmark: llm-tutor's splitText against LangChain's RecursiveCharacterTextSplitter
 * on the same seeded corpora (10 MB zh + 10 MB en in characters, 1 MB each in tokens with the
 * same o200k tokenizer for both), with speed, memory growth and the rule checks.
 * Run: `npx tsx bench/chunk.ts` (or import `runChunkBench`).
 */
import { pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { RecursiveCharacterTextSplitter } from '@langchain/textsplitters';
import { type AuditReport, auditChunks, splitText } from '../src/tools/chunk/index.js';
import { getTokenizer } from '../src/tools/tokens/index.js';
import { type CorpusLang, generateCorpus } from './corpus.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const MB = 1_000_000;
const CHAR_BYTES = 10 * MB;
const TOKEN_BYTES = 1 * MB;
const CHARS = { size: 1000, overlap: 100 };
const TOKENS = { size: 512, overlap: 50 };

interface Run {
  seconds: number;
  chunks: { text: string; start?: number }[];
  /** Heap + external growth right after the split (before GC: result + garbage), bytes. */
  growth: number;
  /** Growth still held after a full GC (the result; tokenizer caches cleared), bytes. */
  retained: number;
}

function heap(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.external + m.arrayBuffers;
}

async function measure(
  fn: () => Promise<{ text: string; start?: number }[]>,
  repeats: number,
  clearCache: () => void,
): Promise<Run> {
  let best = Number.POSITIVE_INFINITY;
  let chunks: { text: string; start?: number }[] = [];
  let growth = 0;
  let retained = 0;
  for (let r = 0; r < repeats; r++) {
    chunks = [];
    clearCache(); // every run starts with a cold tokenizer merge cache
    gc();
    const before = heap();
    const t = performance.now();
    chunks = await fn();
    const seconds = (performance.now() - t) / 1000;
    growth = Math.max(growth, heap() - before);
    clearCache();
    gc();
    retained = Math.max(retained, heap() - before);
    best = Math.min(best, seconds);
  }
  return { seconds: best, chunks, growth, retained };
}

const codePoints = (s: string): number => {
  let n = 0;
  for (const _ of s) n++;
  return n;
};

interface Row {
  name: string;
  mbps: number;
  growthX: number;
  retainedX: number;
  report: AuditReport;
}

function pct(x: number): string {
  return `${(100 * x).toFixed(1)}%`;
}

function printTable(title: string, rows: Row[]): void {
  console.log(`\n${title}`);
  const header = [
    'splitter',
    'MB/s',
    'alloc/input',
    'retained/input',
    'chunks',
    'oversized',
    'rebuilds',
    'avoidable mid-sentence ends',
    'no-overlap boundaries',
    'overlap > limit',
    'mean fill',
    'closing-punct starts',
    'split graphemes',
  ];
  const lines = rows.map((r) => [
    r.name,
    r.mbps.toFixed(1),
    `${r.growthX.toFixed(2)}x`,
    `${r.retainedX.toFixed(2)}x`,
    String(r.report.chunks),
    String(r.report.oversized),
    r.report.rebuilds ? 'yes' : 'no',
    `${r.report.midSentenceEnds} (${pct(r.report.midSentenceShare)})`,
    `${r.report.noOverlap} (${pct(r.report.noOverlapShare)})`,
    String(r.report.overlapTooLong),
    r.report.meanFill.toFixed(3),
    String(r.report.closingStarts),
    String(r.report.splitGraphemes),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length)));
  const fmt = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ');
  console.log(fmt(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
  for (const l of lines) console.log(fmt(l));
}

async function benchLang(
  lang: CorpusLang,
  unit: 'chars' | 'tokens',
): Promise<{ ours: Row; langchain: Row }> {
  const bytes = unit === 'chars' ? CHAR_BYTES : TOKEN_BYTES;
  const text = generateCorpus(lang, bytes, 42);
  const mb = Buffer.byteLength(text, 'utf8') / MB;
  const opts = unit === 'chars' ? CHARS : TOKENS;
  const tokenizer = getTokenizer('o200k');
  const lengthFunction = unit === 'chars' ? codePoints : (s: string) => tokenizer.count(s);
  const lc = new RecursiveCharacterTextSplitter({
    chunkSize: opts.size,
    chunkOverlap: opts.overlap,
    lengthFunction,
  });
  const ourOptions = { size: opts.size, overlap: opts.overlap, unit, tokenizer: 'o200k' };
  // Warm up both (JIT, tokenizer merge caches) on a different text of the same kind.
  const warm = generateCorpus(lang, unit === 'chars' ? MB : 100_000, 7);
  splitText(warm, ourOptions);
  await lc.splitText(warm);

  const repeats = unit === 'chars' ? 3 : 1;
  const clear = () => tokenizer.clearCache();
  const ours = await measure(async () => splitText(text, ourOptions), repeats, clear);
  const theirs = await measure(
    async () => (await lc.splitText(text)).map((t) => ({ text: t })),
    repeats,
    clear,
  );
  const audit = (chunks: { text: string; start?: number }[]) =>
    auditChunks(text, chunks, { size: opts.size, overlap: opts.overlap, measure: lengthFunction });
  return {
    ours: {
      name: `llm-tutor splitText (${lang})`,
      mbps: mb / ours.seconds,
      growthX: ours.growth / (mb * MB),
      retainedX: ours.retained / (mb * MB),
      report: audit(ours.chunks),
    },
    langchain: {
      name: `LangChain Recursive (${lang})`,
      mbps: mb / theirs.seconds,
      growthX: theirs.growth / (mb * MB),
      retainedX: theirs.retained / (mb * MB),
      report: audit(theirs.chunks),
    },
  };
}

/** Run the whole comparison and print it (about a minute on 2 cores). */
export async function runChunkBench(): Promise<void> {
  const started = performance.now();
  console.log(
    'Splitter benchmark: llm-tutor splitText vs LangChain RecursiveCharacterTextSplitter',
  );
  console.log(
    `chars: ${CHAR_BYTES / MB} MB per language, size=${CHARS.size} overlap=${CHARS.overlap} (code points); ` +
      `tokens: ${TOKEN_BYTES / MB} MB per language, size=${TOKENS.size} overlap=${TOKENS.overlap}, ` +
      'o200k (gpt-tokenizer) for both, LangChain via lengthFunction.',
  );
  console.log(
    'MB = 1e6 UTF-8 bytes; best of 3 runs (chars) / 1 run (tokens) after a warm-up, each with a ' +
      'cold tokenizer merge cache; alloc = heap+external growth right after the split (before GC: ' +
      'result + garbage + tokenizer cache), retained = growth after a full GC, over the input size.',
  );
  const goals: string[] = [];
  for (const unit of ['chars', 'tokens'] as const) {
    const rows: Row[] = [];
    for (const lang of ['zh', 'en'] as const) {
      const { ours, langchain } = await benchLang(lang, unit);
      rows.push(ours, langchain);
      const ratio = ours.mbps / langchain.mbps;
      const goal = unit === 'chars' ? 5 : lang === 'zh' ? 3 : 2;
      goals.push(
        `${unit} ${lang}: ${ratio.toFixed(1)}x LangChain (goal >= ${goal}x: ${ratio >= goal ? 'met' : 'NOT met'}); ` +
          `memory: allocated ${ours.growthX.toFixed(2)}x, retained ${ours.retainedX.toFixed(2)}x input ` +
          `(goal <= 2x: ${ours.growthX <= 2 ? 'met' : ours.retainedX <= 2 ? 'met for retained only' : 'NOT met'}); ` +
          `chunks ${ours.report.chunks} vs ${langchain.report.chunks}`,
      );
    }
    printTable(unit === 'chars' ? 'Characters' : 'Tokens (o200k)', rows);
  }
  console.log('\nGoals');
  for (const g of goals) console.log(`- ${g}`);
  console.log(`\n(bench took ${((performance.now() - started) / 1000).toFixed(1)} s)`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await runChunkBench();
}
