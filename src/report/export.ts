/**
 * `llm-tutor report --export FILE`: the report's questions as lines in the format of
 * training/routing/*.jsonl, each with a proposed topic for a person to review before adding
 * any to the training data (nothing goes into training by itself). The proposal is what the
 * user or the router said: the topic picked after a did-you-mean, else the topic answered,
 * else none (`null`) for a declined question. `kind` says why the question was selected.
 */
import type { Report, ReportQuestion } from './build.js';

export interface TrainingLine {
  q: string;
  /** 1–10, or null for "not one of my topics". */
  topic: number | null;
  section?: string;
  lang: 'zh' | 'en' | 'mixed';
  kind: 'did-you-mean' | 'thumbs-down' | 'low-confidence' | 'declined';
}

function line(q: ReportQuestion, kind: TrainingLine['kind'], topic: number | null): TrainingLine {
  const section =
    topic !== null && q.topic === topic && q.section?.startsWith(`t${topic}.`)
      ? q.section
      : undefined;
  const lang = q.lang === 'zh' || q.lang === 'mixed' ? q.lang : 'en';
  return { q: q.text, topic, ...(section ? { section } : {}), lang, kind };
}

/**
 * One line per selected question, each text once (the first reason wins: a pick, a 👎, a
 * low-confidence answer, a decline).
 */
export function trainingLines(report: Report): TrainingLine[] {
  const seen = new Set<string>();
  const out: TrainingLine[] = [];
  const add = (q: ReportQuestion, kind: TrainingLine['kind'], topic: number | null) => {
    if (seen.has(q.text)) return;
    seen.add(q.text);
    out.push(line(q, kind, topic));
  };
  for (const p of report.picks) add(p.question, 'did-you-mean', p.picked);
  for (const d of report.thumbsDown) add(d.question, 'thumbs-down', d.question.topic);
  for (const q of report.lowConfidence) add(q, 'low-confidence', q.topic);
  for (const c of report.declinedClusters) for (const q of c.questions) add(q, 'declined', null);
  return out;
}

/** The lines as JSONL text. */
export function trainingJsonl(report: Report): string {
  return trainingLines(report)
    .map((l) => `${JSON.stringify(l)}\n`)
    .join('');
}
