/**
 * `/chunk`'s heavy half: split the text and build the reply. Pure and synchronous: the terminal
 * runs it in-process, the chat platforms in a worker thread (`src/core/jobs`), so a 2 MiB paste
 * never holds the event loop.
 */
import {
  type BoundaryName,
  type ExplainedChunk,
  type ResolvedChunkOptions,
  splitTextExplained,
} from '../../tools/chunk/index.js';
import { minMax } from '../arrays.js';
import type { Lang, Reply } from '../types.js';

type Text = Record<Lang, string>;

/** What a /chunk job needs: the loaded text, checked options, and how to answer. */
export interface ChunkJob {
  text: string;
  options: ResolvedChunkOptions;
  lang: Lang;
  explain: boolean;
  /** Where the text came from (`text`, a file name or path), for `data.source`. */
  source: string;
  /**
   * List every chunk in `data.chunks` (what `llm-tutor run --json` prints). Chat platforms
   * never show `data`, and copying 100,000 chunk objects back from a worker costs the event
   * loop time, so they get the chunks in the reply's file only.
   */
  listChunks: boolean;
}

const PREVIEW_BOUNDARIES = 3;
const PREVIEW_CHARS = 24;
const TABLE_ROWS = 10;

const BOUNDARY: Record<BoundaryName | 'end', Text> = {
  paragraph: { en: 'a paragraph break', zh: '段落之间（空行）' },
  line: { en: 'a line break', zh: '换行处' },
  sentence: { en: 'a sentence end', zh: '句末' },
  clause: { en: 'a clause (comma, colon)', zh: '分句处（逗号、冒号）' },
  word: { en: 'a word boundary', zh: '词边界' },
  char: { en: 'a character (no better place fit)', zh: '字符处（没有更好的位置）' },
  end: { en: 'the end of the text', zh: '全文末尾' },
};

/** Show a piece of text on one line: line breaks as ⏎, tabs as →. */
function oneLine(s: string): string {
  return s.replace(/\r?\n/g, '⏎').replace(/\t/g, '→');
}

/** The last `n` code points of `s` (with a leading `…` when cut); never half a surrogate pair. */
function tail(s: string, n: number): string {
  let i = s.length;
  for (let k = 0; k < n && i > 0; k++) i -= isLowUnit(s, i - 1) && isHighUnit(s, i - 2) ? 2 : 1;
  return i <= 0 ? s : `…${s.slice(i)}`;
}
/** The first `n` code points of `s` (with a trailing `…` when cut). */
function head(s: string, n: number): string {
  let i = 0;
  for (let k = 0; k < n && i < s.length; k++) i += isHighUnit(s, i) && isLowUnit(s, i + 1) ? 2 : 1;
  return i >= s.length ? s : `${s.slice(0, i)}…`;
}
function isHighUnit(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  return c >= 0xd800 && c <= 0xdbff;
}
function isLowUnit(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  return c >= 0xdc00 && c <= 0xdfff;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}

function unitName(o: ResolvedChunkOptions, lang: Lang): string {
  if (o.unit === 'chars') return lang === 'zh' ? '字符' : 'characters';
  return lang === 'zh' ? `词元（${o.tokenizer}）` : `tokens (${o.tokenizer})`;
}

function explainBoundary(prev: ExplainedChunk, next: ExplainedChunk, i: number, lang: Lang) {
  const ends = BOUNDARY[prev.endsAt][lang];
  const starts = next.overlapStartsAt === 'none' ? null : BOUNDARY[next.overlapStartsAt][lang];
  if (lang === 'zh') {
    const why =
      prev.endsAt === 'sentence' || prev.endsAt === 'line' || prev.endsAt === 'paragraph'
        ? '下一句放不进这一块了，所以在完整的句子后面切，不把句子切断。'
        : '这里的句子比一整块还长，只能在句子内部找最好的位置。';
    const ov = starts
      ? `第 ${i + 2} 块开头重复了上一块末尾的 ${next.overlap} 个单位，从${starts}开始，这样切分点两边的上下文都不会丢。`
      : `第 ${i + 2} 块没有重叠（放不下或 overlap=0）。`;
    return `切分点 ${i + 1}：第 ${i + 1} 块结束于${ends}。${why}${ov}`;
  }
  const why =
    prev.endsAt === 'sentence' || prev.endsAt === 'line' || prev.endsAt === 'paragraph'
      ? 'The next sentence did not fit, so the cut falls after a whole sentence instead of inside one.'
      : 'The sentence here is longer than a whole chunk, so the best place inside it was used.';
  const ov = starts
    ? `Chunk ${i + 2} repeats the last ${next.overlap} units of chunk ${i + 1}, starting at ${starts}, so the context around the cut is in both chunks.`
    : `Chunk ${i + 2} has no overlap (it would not fit, or overlap=0).`;
  return `Boundary ${i + 1}: chunk ${i + 1} ends at ${ends}. ${why} ${ov}`;
}

type Stats = { min: number; median: number; max: number };

/** The count, sizes and the oversized-cluster note. */
function summaryParagraphs(
  chunks: readonly ExplainedChunk[],
  options: ChunkJob['options'],
  stats: Stats,
  lang: Lang,
): string[] {
  const unit = unitName(options, lang);
  const out = [
    lang === 'zh'
      ? `共 ${chunks.length} 块，每块最多 ${options.size} 个${unit}，重叠最多 ${options.overlap}。块大小：最小 ${stats.min}，中位数 ${stats.median}，最大 ${stats.max}。`
      : `${chunks.length} chunks of at most ${options.size} ${unit}, overlap up to ${options.overlap}. Sizes: min ${stats.min}, median ${stats.median}, max ${stats.max}.`,
  ];
  const oversized = chunks.filter((c) => c.oversized);
  const first = oversized[0];
  if (first) {
    out.push(
      lang === 'zh'
        ? `有 ${oversized.length} 块超过了 ${options.size}：每块都是一个字素簇（一个字符连同它的组合符号，或一个表情符号序列），第一个在 ${first.start}–${first.end}，大小 ${first.size}。切开它就会把字符切坏，所以它单独成块。`
        : `${oversized.length} ${oversized.length === 1 ? 'chunk is' : 'chunks are'} over ${options.size}: each is a single grapheme cluster (a character with its combining marks, or an emoji sequence), the first at ${first.start}–${first.end}, size ${first.size}. Cutting it would break the character, so it is a chunk of its own.`,
    );
  }
  return out;
}

/** The first boundaries as "…end | start…", and with explain=true why each fell there. */
function boundaryParagraphs(
  chunks: readonly ExplainedChunk[],
  explain: boolean,
  lang: Lang,
): string[] {
  const out: string[] = [];
  const shown = Math.min(PREVIEW_BOUNDARIES, chunks.length - 1);
  if (shown > 0) {
    out.push(
      lang === 'zh'
        ? '前几个切分点（“块尾 | 下一块开头”）：'
        : 'First boundaries ("end of chunk | start of next"):',
    );
    for (let i = 0; i < shown; i++) {
      const a = chunks[i] as ExplainedChunk;
      const b = chunks[i + 1] as ExplainedChunk;
      out.push(
        `${i + 1}. ${oneLine(tail(a.text, PREVIEW_CHARS))} | ${oneLine(head(b.text, PREVIEW_CHARS))}`,
      );
    }
  }
  if (!explain) return out;
  out.push(
    lang === 'zh'
      ? '切分规则：先在最高一级的结构处切——段落、换行、句末（。！？；…… 和 . ! ?，不含 99.5% 这样的小数或 e.g. 这样的缩写）、分句、词，最后才是字符；只要一句话放得进一块，就不会把它切断；每块开头重复上一块末尾最多 overlap 个单位，并尽量从完整的句子开始。'
      : 'How it splits: at the highest structure that fits — paragraphs, line breaks, sentence ends (。！？；…… and . ! ?, not decimals like 99.5% or abbreviations like e.g.), clauses, words, and only then characters; a sentence that fits in a chunk is never cut; each chunk starts with up to `overlap` units of the previous one, from a whole sentence when one fits.',
  );
  for (let i = 0; i < shown; i++) {
    out.push(
      explainBoundary(chunks[i] as ExplainedChunk, chunks[i + 1] as ExplainedChunk, i, lang),
    );
  }
  return out;
}

/** The first TABLE_ROWS chunks as a table. */
function chunkTable(
  chunks: readonly ExplainedChunk[],
  lang: Lang,
): { headers: string[]; rows: string[][] } {
  const headers =
    lang === 'zh'
      ? ['#', '起点', '终点', '大小', '结束于', '重叠']
      : ['#', 'start', 'end', 'size', 'ends at', 'overlap'];
  const rows = chunks
    .slice(0, TABLE_ROWS)
    .map((c, i) => [
      String(i + 1),
      String(c.start),
      String(c.end),
      String(c.size),
      c.oversized ? `${c.endsAt} (${lang === 'zh' ? '超长' : 'oversized'})` : c.endsAt,
      String(c.overlap),
    ]);
  return { headers, rows };
}

/** The structured result: the options, the sizes and, when asked, every chunk. */
function chunkData(job: ChunkJob, chunks: readonly ExplainedChunk[], stats: Stats): Reply['data'] {
  return {
    source: job.source,
    options: job.options,
    count: chunks.length,
    sizes: stats,
    oversized: chunks.filter((c) => c.oversized).length,
    ...(job.listChunks
      ? {
          chunks: chunks.map((c) => ({
            start: c.start,
            end: c.end,
            size: c.size,
            text: c.text,
            endsAt: c.endsAt,
            overlap: c.overlap,
            ...(c.oversized ? { oversized: true } : {}),
          })),
        }
      : {}),
  };
}

/** Split the text and say how it was split (the reply of /chunk). */
export function chunkReply(job: ChunkJob): Reply {
  const { text, options, lang, explain } = job;
  const chunks = splitTextExplained(text, options);
  const sizes = chunks.map((c) => c.size);
  const { min, max } = minMax(sizes);
  const stats = { min, median: median(sizes), max };
  const paragraphs = [
    ...summaryParagraphs(chunks, options, stats, lang),
    ...boundaryParagraphs(chunks, explain, lang),
  ];
  if (chunks.length > TABLE_ROWS) {
    paragraphs.push(
      lang === 'zh'
        ? `表中只列出前 ${TABLE_ROWS} 块；完整结果见附件 chunks.jsonl（终端：llm-tutor run --json）。`
        : `The table lists the first ${TABLE_ROWS} chunks; the full result is in the attached chunks.jsonl (terminal: llm-tutor run --json).`,
    );
  }
  return {
    kind: 'answer',
    lang,
    title: lang === 'zh' ? `/chunk：${chunks.length} 块` : `/chunk: ${chunks.length} chunks`,
    paragraphs,
    table: chunkTable(chunks, lang),
    hints: explain
      ? ['/topic 4']
      : [
          lang === 'zh' ? '加上 explain=true 看每个切分点的原因' : 'Add explain=true to see why',
          '/topic 4',
        ],
    files: [
      {
        name: 'chunks.jsonl',
        content: `${chunks.map((c) => JSON.stringify({ start: c.start, end: c.end, size: c.size, text: c.text, ...(c.oversized ? { oversized: true } : {}) })).join('\n')}\n`,
      },
    ],
    data: chunkData(job, chunks, stats),
  };
}
