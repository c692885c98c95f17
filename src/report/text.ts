/** The report as plain text for a terminal (`llm-tutor report`). */
import type { Report, ReportQuestion } from './build.js';

const pct = (x: number) => `${Math.round(x * 100)}%`;

/** C0 and C1 control characters: a terminal would obey them. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

/** User text on one line, without control characters (no terminal escapes). */
function flat(text: string): string {
  return text.replace(CONTROL, ' ').replace(/\s+/g, ' ').trim();
}

/** A question on one line, cut at `max` characters. */
function quote(text: string, max = 90): string {
  const line = flat(text);
  const chars = Array.from(line);
  return `"${chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : line}"`;
}

const where = (q: ReportQuestion) =>
  q.topic === null ? 'no topic' : `topic ${q.topic}${q.section ? ` (${q.section})` : ''}`;

function section(title: string, lines: string[], empty: string): string[] {
  return ['', title, ...(lines.length ? lines : [`  ${empty}`])];
}

/** A cluster's texts, each once with how often it was asked, in the order first asked. */
export function distinctTexts(questions: readonly ReportQuestion[]): { text: string; n: number }[] {
  const counts = new Map<string, number>();
  for (const q of questions) counts.set(q.text, (counts.get(q.text) ?? 0) + 1);
  return [...counts].map(([text, n]) => ({ text, n }));
}

function clusters(r: Report): string[] {
  return r.declinedClusters.slice(0, 20).flatMap((c) => {
    const [lead, ...others] = distinctTexts(c.questions);
    const times = (n: number) => (n > 1 ? ` (×${n})` : '');
    return [
      `  ${String(c.size).padStart(3)}×  ${quote(lead!.text)}${times(lead!.n)}`,
      ...others.slice(0, 3).map((x) => `        · ${quote(x.text, 80)}${times(x.n)}`),
      ...(others.length > 3 ? [`        · … ${others.length - 3} more`] : []),
    ];
  });
}

/** A topic title in a fixed-width column. */
function column(text: string, width: number): string {
  const chars = Array.from(text);
  return chars.length > width ? `${chars.slice(0, width - 1).join('')}…` : text.padEnd(width);
}

export function renderTextReport(r: Report): string {
  const t = r.totals;
  const share = (n: number) => (t.questions ? ` (${pct(n / t.questions)})` : '');
  const head = [
    `llm-tutor report — the last ${r.days} days (${r.since.slice(0, 10)} to ${r.generatedAt.slice(0, 10)})`,
    `${t.questions} questions: ${t.answered} answered${share(t.answered)}, ${t.clarified} did-you-mean${share(t.clarified)}, ${t.declined} declined${share(t.declined)}. Ratings: ${t.good} 👍, ${t.bad} 👎.`,
  ];
  return [
    ...head,
    ...section(
      `Declined questions, similar ones together (cosine ≥ ${r.clusterThreshold}), biggest first`,
      clusters(r),
      'none',
    ),
    ...section(
      `Low-confidence answers (confidence < ${r.lowConfidenceBelow})`,
      r.lowConfidence
        .slice(0, 20)
        .map((q) => `  ${q.confidence.toFixed(2)}  ${where(q)}  ${quote(q.text, 70)}`),
      'none',
    ),
    ...section(
      '👎 answers',
      r.thumbsDown.map(
        (d) =>
          `  ${where(d.question)}  ${quote(d.question.text, 70)}${d.reason ? `  — reason: ${flat(d.reason)}` : ''}`,
      ),
      'none',
    ),
    ...section(
      'Did-you-mean picks',
      r.picks.map(
        (p) =>
          `  ${quote(p.question.text, 70)}  offered topic ${p.offered} first → picked ${p.picked}`,
      ),
      'none',
    ),
    ...section(
      'Answers per topic',
      r.perTopic.map(
        (p) => `  ${String(p.topic).padStart(2)}. ${column(p.title, 50)} ${p.answers}`,
      ),
      'none',
    ),
    ...section(
      'Per language',
      r.perLang.map(
        (l) =>
          `  ${l.lang}: ${l.questions} questions, ${l.answered} answered, ${l.declined} declined (${pct(l.declined / l.questions)})`,
      ),
      'no questions',
    ),
  ].join('\n');
}
