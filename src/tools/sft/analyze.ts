/**
 * `/sft`'s first pass: read records as they stream in, check each one, and keep per record
 * only a few numbers (validity, stratum, two hashes, a 128-byte MinHash signature), so a 500 MB
 * file is checked in bounded memory. `finish()` finds the duplicates and returns the report
 * plus what a split needs (`SftAnalysis`). Pure: no I/O.
 */
import { getTokenizer, type Tokenizer } from '../tokens/index.js';
import { emptyResponses, orderProblems, repeatedPrompts, templateProblems } from './checks.js';
import { detectFormat, normalize, type SftFormat, type Turn, wrongShape } from './formats.js';
import { type GrowArray, growU8, growU32, summarize } from './grow.js';
import {
  BANDS,
  BINS,
  mix32,
  NEAR_DUP_THRESHOLD,
  orderByKey,
  ROWS,
  SHINGLE,
  SignatureStore,
  sketchText,
  UnionFind,
} from './minhash.js';
import { RecordScanner } from './records.js';
import {
  type DuplicatePair,
  type Issue,
  type IssueList,
  type SftOptions,
  type SftReport,
  SHOWN_ISSUES,
  SHOWN_PAIRS,
} from './types.js';

export const DEFAULT_TOKEN_BUDGET_BYTES = 1_000_000;
/** Distinct values of a stratify field beyond which a stratified split is refused. */
export const MAX_STRATA = 1000;

const VALID = 1;
const SIGNED = 2;
const EXACT_DUP = 4;

/** What the split needs besides the report. */
export interface SftAnalysis {
  report: SftReport;
  /** Records seen (valid or not), in file order: the index pass 2 counts with. */
  count: number;
  flags: Uint8Array;
  strata: Uint32Array;
  clusters: UnionFind;
}

class Issues {
  count = 0;
  readonly shown: Issue[] = [];
  add(line: number, en: string, zh: string): void {
    this.count++;
    if (this.shown.length < SHOWN_ISSUES) this.shown.push({ line, en, zh });
  }
  list(): IssueList {
    return { count: this.count, shown: this.shown };
  }
}

const joinRole = (turns: readonly Turn[], assistant: boolean): string => {
  let s = '';
  for (const t of turns) {
    if ((t.role === 'assistant') === assistant && t.text) s = s ? `${s}\n${t.text}` : t.text;
  }
  return s;
};

export class SftAnalyzer {
  private readonly scanner: RecordScanner;
  private format: SftFormat | undefined;
  private readonly tokenizer: Tokenizer;
  private readonly sampleRate: number;
  private readonly bins = new Uint32Array(BINS);
  private readonly signatures = new SignatureStore();
  private readonly flags: GrowArray<Uint8Array> = growU8();
  private readonly lines: GrowArray<Uint32Array> = growU32();
  private readonly exactA: GrowArray<Uint32Array> = growU32();
  private readonly exactB: GrowArray<Uint32Array> = growU32();
  private readonly strata: GrowArray<Uint32Array> = growU32();
  private readonly strataIds = new Map<string, number>();
  private readonly promptTokens: GrowArray<Uint32Array> = growU32();
  private readonly responseTokens: GrowArray<Uint32Array> = growU32();
  private readonly malformed = new Issues();
  private readonly empty = new Issues();
  private readonly repeats = new Issues();
  private readonly template = new Issues();
  private readonly languages = { zh: 0, en: 0, mixed: 0, other: 0 };
  private turns = { total: 0, max: 0 };
  private over = { exact: 0, sampledLong: 0, sampledLongOver: 0, unsampledLong: 0 };

  constructor(private readonly options: SftOptions) {
    this.format = options.format;
    this.tokenizer = getTokenizer(options.tokenizer);
    const budget = options.tokenBudgetBytes ?? DEFAULT_TOKEN_BUDGET_BYTES;
    const bytes = options.expectedBytes;
    this.sampleRate = bytes === undefined || bytes <= budget ? 1 : budget / bytes;
    this.scanner = new RecordScanner((text, line) => this.record(text, line));
  }

  /** Feed the next piece of the file. */
  push(piece: string): void {
    this.scanner.push(piece);
  }

  private record(text: string, line: number): void {
    const index = this.flags.length;
    this.flags.push(0);
    this.lines.push(line);
    this.exactA.push(0);
    this.exactB.push(0);
    this.strata.push(0);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      const why = (err as Error).message.replace(/\s+/g, ' ').slice(0, 120);
      this.invalid(line, `not valid JSON (${why})`, `不是合法的 JSON（${why}）`);
      return;
    }
    this.format ??= detectFormat(value);
    if (this.format === undefined) {
      const p = wrongShape(value, 'openai');
      this.invalid(
        line,
        `not an SFT record in any known format (Alpaca, ShareGPT or OpenAI chat): ${p.en}`,
        `不是任何已知格式（Alpaca、ShareGPT、OpenAI chat）的 SFT 记录：${p.zh}`,
      );
      return;
    }
    const normalized = normalize(value, this.format);
    if (!normalized.ok) {
      this.invalid(line, normalized.problem.en, normalized.problem.zh);
      return;
    }
    this.flags.set(index, VALID);
    this.strata.set(index, this.stratumOf(value));
    this.check(normalized.turns, line);
    this.measure(index, normalized.turns);
  }

  private invalid(line: number, en: string, zh: string): void {
    this.malformed.add(line, en, zh);
    this.signatures.add(undefined);
  }

  private stratumOf(value: unknown): number {
    const field = this.options.stratify;
    if (field === undefined) return 0;
    const v = (value as Record<string, unknown>)[field];
    const key =
      v === undefined || v === null
        ? '(missing)'
        : typeof v === 'object'
          ? '(not a value)'
          : String(v);
    let id = this.strataIds.get(key);
    if (id === undefined) {
      id = this.strataIds.size;
      if (id <= MAX_STRATA) this.strataIds.set(key, id);
    }
    return Math.min(id, MAX_STRATA);
  }

  private check(turns: readonly Turn[], line: number): void {
    this.turns.total += turns.length;
    if (turns.length > this.turns.max) this.turns.max = turns.length;
    const empty = emptyResponses(turns);
    if (empty.length > 0) {
      this.empty.add(
        line,
        `empty response (turn ${empty.join(', ')})`,
        `回复为空（第 ${empty.join('、')} 轮）`,
      );
    }
    const repeated = repeatedPrompts(turns);
    if (repeated.length > 0) {
      this.repeats.add(
        line,
        `the response only repeats the prompt (turn ${repeated.join(', ')})`,
        `回复只是重复了提问（第 ${repeated.join('、')} 轮）`,
      );
    }
    const problems = [...orderProblems(turns), ...templateProblems(turns, this.options.template)];
    if (problems.length > 0) {
      this.template.add(
        line,
        problems.map((p) => p.en).join('; '),
        problems.map((p) => p.zh).join('；'),
      );
    }
  }

  private measure(index: number, turns: readonly Turn[]): void {
    const prompt = joinRole(turns, false);
    const response = joinRole(turns, true);
    const sketch = sketchText(`${prompt}\n${response}`, this.bins);
    this.signatures.add(sketch.hasSignature ? this.bins : undefined);
    if (sketch.hasSignature) this.flags.set(index, VALID | SIGNED);
    this.exactA.set(index, sketch.exactA);
    this.exactB.set(index, sketch.exactB);
    const weighted = sketch.latinWords * 1.5;
    const share = sketch.han / (sketch.han + weighted || 1);
    if (sketch.han + weighted === 0) this.languages.other++;
    else if (share >= 0.85) this.languages.zh++;
    else if (share <= 0.15) this.languages.en++;
    else this.languages.mixed++;
    this.countTokens(index, prompt, response);
  }

  private countTokens(index: number, prompt: string, response: string): void {
    const maxLen = this.options.maxLen;
    const sampled = this.sampleRate >= 1 || mix32(index ^ 0x5a17c0de) / 2 ** 32 < this.sampleRate;
    // BPE never makes more tokens than UTF-8 bytes (SentencePiece: one more, the prefix space)
    const bound = Buffer.byteLength(prompt) + Buffer.byteLength(response) + 2;
    if (!sampled) {
      if (bound > maxLen) this.over.unsampledLong++;
      return;
    }
    const p = this.tokenizer.count(prompt);
    const r = this.tokenizer.count(response);
    this.promptTokens.push(p);
    this.responseTokens.push(r);
    if (p + r > maxLen) this.over.exact++;
    if (bound > maxLen) {
      this.over.sampledLong++;
      if (p + r > maxLen) this.over.sampledLongOver++;
    }
  }

  /** The input has ended: find duplicates and build the report. */
  finish(): SftAnalysis {
    this.scanner.end();
    for (const p of this.scanner.problems) this.malformed.add(p.line, p.en, p.zh);
    const n = this.flags.length;
    const flags = this.flags.view();
    const clusters = new UnionFind(n);
    const lines = this.lines.view();
    const exact = exactDuplicates(flags, this.exactA.view(), this.exactB.view(), lines, clusters);
    for (const i of exact.members) flags[i] = (flags[i] as number) | EXACT_DUP;
    const near = nearDuplicates(flags, this.signatures, lines, clusters);
    return {
      report: this.report(exact, near),
      count: n,
      flags,
      strata: this.strata.view(),
      clusters,
    };
  }

  private report(exact: ExactResult, near: NearResult): SftReport {
    const valid = this.flags.view().reduce((k, f) => k + (f & VALID ? 1 : 0), 0);
    const counted = this.promptTokens.length;
    const o = this.over;
    const estimate =
      o.unsampledLong === 0
        ? 0
        : Math.round((o.unsampledLong * o.sampledLongOver) / Math.max(1, o.sampledLong));
    const report: SftReport = {
      layout: this.scanner.layout ?? 'empty',
      format: this.format ?? null,
      formatDetected: this.options.format === undefined,
      records: { total: this.flags.length, valid, malformed: this.flags.length - valid },
      turns: this.turns,
      malformed: this.malformed.list(),
      emptyResponses: this.empty.list(),
      repeatsPrompt: this.repeats.list(),
      template: this.template.list(),
      duplicates: {
        exact: { count: exact.members.length, pairs: exact.pairs },
        near: { count: near.count, clusters: near.clusters, pairs: near.pairs },
        method: {
          shingle: SHINGLE,
          bins: BINS,
          bands: BANDS,
          rows: ROWS,
          threshold: NEAR_DUP_THRESHOLD,
        },
      },
      languages: this.languages,
      tokens: {
        tokenizer: this.options.tokenizer,
        maxLen: this.options.maxLen,
        counted,
        all: counted === valid,
        prompt: summarize(this.promptTokens.view()),
        response: summarize(this.responseTokens.view()),
        overMaxLen: { count: o.exact + estimate, estimated: o.unsampledLong > 0 },
      },
    };
    if (this.options.stratify !== undefined) {
      const values = this.strataIds.size;
      report.stratify = { field: this.options.stratify, values, tooMany: values > MAX_STRATA };
    }
    return report;
  }
}

interface ExactResult {
  /** Records that repeat an earlier record exactly (after case and whitespace). */
  members: number[];
  pairs: DuplicatePair[];
}

interface NearResult {
  count: number;
  clusters: number;
  pairs: DuplicatePair[];
}

/** Exact duplicates: equal hash pairs, found by sorting on the first hash. */
function exactDuplicates(
  flags: Uint8Array,
  a: Uint32Array,
  b: Uint32Array,
  lines: Uint32Array,
  clusters: UnionFind,
): ExactResult {
  const n = flags.length;
  const order = orderByKey(a, n);
  const members: number[] = [];
  const pairs: DuplicatePair[] = [];
  let head = -1;
  for (let k = 0; k < n; k++) {
    const i = order[k] as number;
    if (!((flags[i] as number) & SIGNED)) continue;
    if (head >= 0 && a[head] === a[i]) {
      if (b[head] === b[i]) {
        clusters.union(head, i);
        members.push(i);
        if (pairs.length < SHOWN_PAIRS) {
          pairs.push({ line: lines[i] as number, of: lines[head] as number, similarity: 1 });
        }
      }
      continue;
    }
    head = i;
  }
  pairs.sort((x, y) => x.line - y.line);
  return { members, pairs };
}

/**
 * Near-duplicates by LSH banding: in each band, records with equal band keys are compared with
 * the first record of their bucket and the one before them; a pair at or above the threshold
 * joins one cluster.
 */
function nearDuplicates(
  flags: Uint8Array,
  signatures: SignatureStore,
  lines: Uint32Array,
  clusters: UnionFind,
): NearResult {
  const n = flags.length;
  const keys = new Uint32Array(n);
  const pairs: DuplicatePair[] = [];
  const signed = (i: number) => ((flags[i] as number) & SIGNED) !== 0;
  const tryPair = (x: number, y: number) => {
    if (clusters.find(x) === clusters.find(y)) return;
    const similarity = signatures.similarity(x, y);
    if (similarity < NEAR_DUP_THRESHOLD) return;
    clusters.union(x, y);
    if (pairs.length < SHOWN_PAIRS) {
      pairs.push({ line: lines[y] as number, of: lines[x] as number, similarity });
    }
  };
  for (let band = 0; band < BANDS; band++) {
    for (let i = 0; i < n; i++) keys[i] = signed(i) ? signatures.bandKey(i, band) : mix32(~i);
    const order = orderByKey(keys, n);
    let head = -1;
    let prev = -1;
    for (let k = 0; k < n; k++) {
      const i = order[k] as number;
      if (!signed(i)) continue;
      if (head >= 0 && keys[head] === keys[i]) {
        tryPair(head, i);
        if (prev !== head) tryPair(prev, i);
      } else head = i;
      prev = i;
    }
  }
  // near-duplicate records: in a cluster, not its first record, not an exact copy
  const size = new Uint32Array(n);
  let count = 0;
  for (let i = 0; i < n; i++) {
    if (!signed(i)) continue;
    const r = clusters.find(i);
    if (r !== i && !((flags[i] as number) & EXACT_DUP)) {
      count++;
      size[r] = (size[r] as number) + 1;
    }
  }
  let groups = 0;
  for (let i = 0; i < n; i++) if ((size[i] as number) > 0) groups++;
  pairs.sort((x, y) => x.line - y.line);
  return { count, clusters: groups, pairs };
}
