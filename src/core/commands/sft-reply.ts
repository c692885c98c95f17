/**
 * `/sft`'s report as a Reply (both languages), and the job the chat platforms run in the worker
 * pool: check a pasted or attached file, split it, and return the splits as attachments.
 */
import {
  FORMAT_LABELS,
  type IssueList,
  planSplit,
  type Quantiles,
  SftAnalyzer,
  type SftOptions,
  type SftReport,
  SPLIT_NAMES,
  type SplitName,
  type SplitOptions,
  type SplitPlan,
  SplitRouter,
} from '../../tools/sft/index.js';
import { formatInt } from '../../tools/vram/index.js';
import { type Localized, t } from '../i18n.js';
import type { Lang, Reply } from '../types.js';

/** Where each split went: attachment names (chat) or file paths (terminal). */
export type SplitOutputs = Record<SplitName, string>;

export interface SftSplitResult {
  options: SplitOptions;
  plan: Pick<SplitPlan, 'counts' | 'dropped'>;
  outputs: SplitOutputs;
  stratify?: string | undefined;
}

const n = formatInt;
const pct = (x: number) => `${Math.round(x * 100)}`;

function issueLines(title: Localized, list: IssueList, lang: Lang): string[] {
  if (list.count === 0) return [];
  const lines = list.shown.map((i) =>
    t(lang, { en: `line ${i.line}: ${i.en}`, zh: `第 ${i.line} 行：${i.zh}` }),
  );
  const more = list.count - list.shown.length;
  if (more > 0) lines.push(t(lang, { en: `… and ${n(more)} more`, zh: `…… 另有 ${n(more)} 条` }));
  return [`${t(lang, title)}\n${lines.join('\n')}`];
}

function quantiles(q: Quantiles): string {
  return `${n(q.min)} / ${n(q.median)} / ${n(q.p95)} / ${n(q.max)}`;
}

function summary(r: SftReport, lang: Lang): string {
  const format = r.format ? FORMAT_LABELS[r.format] : t(lang, { en: 'unknown', zh: '未知' });
  const how = r.formatDetected
    ? t(lang, { en: 'detected', zh: '自动识别' })
    : t(lang, { en: 'given with format=', zh: '由 format= 指定' });
  const layout = r.layout === 'json' ? 'JSON array' : 'JSONL';
  return t(lang, {
    en: `${n(r.records.total)} records (${n(r.records.valid)} valid, ${n(r.records.malformed)} malformed), ${n(r.turns.total)} turns (up to ${r.turns.max} in one record). ${layout}, format: ${format} (${how}).`,
    zh: `共 ${n(r.records.total)} 条记录（有效 ${n(r.records.valid)}，格式错误 ${n(r.records.malformed)}），${n(r.turns.total)} 轮对话（单条最多 ${r.turns.max} 轮）。${layout}，格式：${format}（${how}）。`,
  });
}

function table(r: SftReport, lang: Lang): Reply['table'] {
  const d = r.duplicates;
  const m = d.method;
  const tok = r.tokens;
  const over = `${tok.overMaxLen.estimated ? '≈ ' : ''}${n(tok.overMaxLen.count)}`;
  const rows: [Localized, string][] = [
    [{ en: 'malformed records', zh: '格式错误的记录' }, n(r.malformed.count)],
    [{ en: 'empty responses', zh: '空回复' }, n(r.emptyResponses.count)],
    [{ en: 'responses repeating the prompt', zh: '只重复提问的回复' }, n(r.repeatsPrompt.count)],
    [{ en: 'role order / template problems', zh: '角色顺序 / 模板问题' }, n(r.template.count)],
    [{ en: 'exact duplicates', zh: '完全重复' }, n(d.exact.count)],
    [
      {
        en: `near-duplicates (MinHash, ${m.shingle}-char shingles, Jaccard ≥ ${m.threshold})`,
        zh: `近似重复（MinHash，${m.shingle} 字符 shingle，Jaccard ≥ ${m.threshold}）`,
      },
      t(lang, {
        en: `${n(d.near.count)} in ${n(d.near.clusters)} clusters`,
        zh: `${n(d.near.count)}（${n(d.near.clusters)} 组）`,
      }),
    ],
    [
      { en: 'languages zh / en / mixed / other', zh: '语言 中文 / 英文 / 混合 / 其他' },
      `${n(r.languages.zh)} / ${n(r.languages.en)} / ${n(r.languages.mixed)} / ${n(r.languages.other)}`,
    ],
    [
      {
        en: `prompt tokens (${tok.tokenizer}) min / median / p95 / max`,
        zh: `提问词元（${tok.tokenizer}）最小 / 中位 / p95 / 最大`,
      },
      quantiles(tok.prompt),
    ],
    [
      {
        en: `response tokens (${tok.tokenizer}) min / median / p95 / max`,
        zh: `回复词元（${tok.tokenizer}）最小 / 中位 / p95 / 最大`,
      },
      quantiles(tok.response),
    ],
    [
      {
        en: `over max_len=${n(tok.maxLen)} (prompt + response)`,
        zh: `超过 max_len=${n(tok.maxLen)}（提问 + 回复）`,
      },
      over,
    ],
  ];
  return {
    headers: lang === 'zh' ? ['检查项', '数量'] : ['check', 'count'],
    rows: rows.map(([label, value]) => [t(lang, label), value]),
  };
}

function tokenNote(r: SftReport, lang: Lang): string[] {
  const tok = r.tokens;
  if (tok.all || r.records.valid === 0) return [];
  return [
    t(lang, {
      en: `Token lengths come from ${n(tok.counted)} of ${n(r.records.valid)} records, an even sample across the file (tokenizing every record of a large file would take minutes). Over max_len is exact for the sampled records and for every record whose UTF-8 size is under max_len (a token is at least one byte); for the rest it is estimated from the sample (≈).`,
      zh: `词元长度统计来自 ${n(r.records.valid)} 条中均匀抽取的 ${n(tok.counted)} 条（大文件逐条分词要花几分钟）。超过 max_len 的数量：抽样记录和 UTF-8 字节数不超过 max_len 的记录是精确的（一个词元至少一个字节），其余按抽样估计（≈）。`,
    }),
  ];
}

function duplicateLines(r: SftReport, lang: Lang): string[] {
  const d = r.duplicates;
  const pairs = [
    ...d.exact.pairs.map((p) =>
      t(lang, {
        en: `line ${p.line} repeats line ${p.of}`,
        zh: `第 ${p.line} 行与第 ${p.of} 行完全重复`,
      }),
    ),
    ...d.near.pairs.map((p) =>
      t(lang, {
        en: `line ${p.line} ≈ line ${p.of} (similarity ${p.similarity.toFixed(2)})`,
        zh: `第 ${p.line} 行 ≈ 第 ${p.of} 行（相似度 ${p.similarity.toFixed(2)}）`,
      }),
    ),
  ];
  if (pairs.length === 0) return [];
  return [
    `${t(lang, { en: 'Duplicate pairs (examples):', zh: '重复示例：' })}\n${pairs.join('\n')}`,
  ];
}

function splitLines(split: SftSplitResult | undefined, lang: Lang): string[] {
  if (!split) return [];
  const { ratios, seed, dedupe } = split.options;
  const ratio = ratios.map(pct).join('/');
  const c = split.plan.counts;
  const files = SPLIT_NAMES.map((s) => `${s}: ${split.outputs[s]}`).join('\n');
  const strat = split.stratify
    ? t(lang, { en: `, stratified by ${split.stratify}`, zh: `，按 ${split.stratify} 分层` })
    : '';
  const dropped = dedupe
    ? t(lang, {
        en: ` ${n(split.plan.dropped)} duplicates dropped (dedupe=true).`,
        zh: ` 已去掉 ${n(split.plan.dropped)} 条重复（dedupe=true）。`,
      })
    : '';
  return [
    t(lang, {
      en: `Split ${ratio} (seed ${seed}${strat}): train ${n(c.train)}, validation ${n(c.validation)}, test ${n(c.test)}. Duplicates and near-duplicates stay in one split, so nothing leaks into test.${dropped}\n${files}`,
      zh: `按 ${ratio} 切分（seed ${seed}${strat}）：训练 ${n(c.train)}，验证 ${n(c.validation)}，测试 ${n(c.test)}。重复和近似重复的记录总在同一个集合里，不会泄漏到测试集。${dropped}\n${files}`,
    }),
  ];
}

/** The /sft report as a Reply; `data` is the whole report (what `run --json` prints). */
export function sftReply(
  report: SftReport,
  lang: Lang,
  source: string,
  split?: SftSplitResult,
): Reply {
  const paragraphs = [
    summary(report, lang),
    ...tokenNote(report, lang),
    ...issueLines({ en: 'Malformed records:', zh: '格式错误的记录：' }, report.malformed, lang),
    ...issueLines({ en: 'Empty responses:', zh: '空回复：' }, report.emptyResponses, lang),
    ...issueLines(
      { en: 'Responses that only repeat the prompt:', zh: '只重复提问的回复：' },
      report.repeatsPrompt,
      lang,
    ),
    ...issueLines(
      { en: 'Role order and chat-template problems:', zh: '角色顺序和对话模板问题：' },
      report.template,
      lang,
    ),
    ...duplicateLines(report, lang),
    ...splitLines(split, lang),
  ];
  if (report.stratify?.tooMany) {
    paragraphs.push(
      t(lang, {
        en: `stratify=${report.stratify.field} has more than ${n(report.stratify.values - 1)} distinct values; the extra values share one stratum.`,
        zh: `stratify=${report.stratify.field} 的取值超过 ${n(report.stratify.values - 1)} 种，多出的取值合并为一层。`,
      }),
    );
  }
  return {
    kind: 'answer',
    lang,
    title: t(lang, {
      en: `/sft: ${n(report.records.total)} records`,
      zh: `/sft：${n(report.records.total)} 条记录`,
    }),
    paragraphs,
    table: table(report, lang),
    hints: [
      '/topic 8',
      ...(split
        ? []
        : [
            t(lang, {
              en: 'split=80/10/10 seed=42 writes the splits',
              zh: 'split=80/10/10 seed=42 可切分数据集',
            }),
          ]),
    ],
    data: {
      source,
      ...report,
      ...(split
        ? {
            split: {
              ...split.options,
              stratify: split.stratify ?? null,
              counts: split.plan.counts,
              dropped: split.plan.dropped,
              outputs: split.outputs,
            },
          }
        : {}),
    },
  };
}

/** What a /sft job on pasted or attached text needs (it crosses into a worker thread). */
export interface SftJob {
  text: string;
  source: string;
  lang: Lang;
  options: SftOptions;
  split?: SplitOptions | undefined;
}

/** Check (and split) a text in one go: the chat platforms' /sft, run in the worker pool. */
export function sftJob(job: SftJob): Reply {
  // a chat input is at most 2 MiB: every record is tokenized (about a second in the worker)
  const bytes = Buffer.byteLength(job.text);
  const analyzer = new SftAnalyzer({
    ...job.options,
    expectedBytes: bytes,
    tokenBudgetBytes: bytes,
  });
  analyzer.push(job.text);
  const analysis = analyzer.finish();
  if (!job.split) return sftReply(analysis.report, job.lang, job.source);
  const plan = planSplit(analysis, job.split);
  const parts: Record<SplitName, string[]> = { train: [], validation: [], test: [] };
  const router = new SplitRouter(plan, (s, line) => parts[s].push(line));
  router.push(job.text);
  router.end();
  const outputs = { train: 'train.jsonl', validation: 'validation.jsonl', test: 'test.jsonl' };
  const reply = sftReply(analysis.report, job.lang, job.source, {
    options: job.split,
    plan: { counts: plan.counts, dropped: plan.dropped },
    outputs,
    stratify: job.options.stratify,
  });
  reply.files = SPLIT_NAMES.map((s) => ({
    name: outputs[s],
    content: parts[s].length ? `${parts[s].join('\n')}\n` : '',
  }));
  return reply;
}
