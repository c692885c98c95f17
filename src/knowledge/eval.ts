/**
 * Scores routing decisions on a labelled set (the format of test/fixtures/routing-dev*.jsonl):
 * on-topic answers and off-topic declines, per language, kind and topic, a confusion matrix,
 * the calibration error of the reported confidence, and section accuracy on labelled lines.
 * Used by `npm run eval`, the bench and the tests that hold the floors.
 */
import { z } from 'zod';
import type { MatchResult } from './classifier.js';

export const evalLineSchema = z.object({
  id: z.string(),
  q: z.string(),
  topic: z.number().int().min(1).max(10).nullable(),
  section: z
    .string()
    .regex(/^t\d+\.[a-z0-9-]+$/)
    .optional(),
  lang: z.enum(['zh', 'en', 'mixed']),
  kind: z.string(),
  alt: z.array(z.number().int()).optional(),
});
export type EvalLine = z.infer<typeof evalLineSchema>;

export function parseEvalSet(jsonl: string): EvalLine[] {
  return jsonl
    .split('\n')
    .filter((l) => l.trim())
    .map((l, i) => {
      const r = evalLineSchema.safeParse(JSON.parse(l));
      if (!r.success) throw new Error(`line ${i + 1}: ${r.error.issues[0]?.message}`);
      return r.data;
    });
}

export type Verdict = 'correct' | 'clarify-right' | 'clarify-wrong' | 'wrong' | 'false-reject';

export function judge(line: EvalLine, r: MatchResult): Verdict {
  if (line.topic === null) return r.outcome === 'none' ? 'correct' : 'wrong';
  if (r.outcome === 'none') return 'false-reject';
  const ok = (t: number | null) => t === line.topic || (t !== null && (line.alt ?? []).includes(t));
  if (r.outcome === 'answer') return ok(r.topic) ? 'correct' : 'wrong';
  const offered = [r.topic, ...r.alternatives.map((a) => a.topic)];
  return offered.some(ok) ? 'clarify-right' : 'clarify-wrong';
}

export interface Tally {
  n: number;
  correct: number;
  clarifyRight: number;
  clarifyWrong: number;
  wrong: number;
  falseReject: number;
}

export interface EvalReport {
  onTopic: Tally;
  offTopic: Tally;
  byLang: Record<string, Tally>;
  byKind: Record<string, Tally>;
  /** By the line's topic ("none" for off-topic lines). */
  byTopic: Record<string, Tally>;
  /** confusion[truth][routed]: truth and routed are "1"–"10" or "none"; did-you-mean counts its first topic. */
  confusion: Record<string, Record<string, number>>;
  /** Expected calibration error of `confidence` (10 bins) against the outcome being right. */
  calibrationError: number;
  /** Lines with a section label whose topic was answered, and how many got that section. */
  sections: { n: number; correct: number };
  misses: { line: EvalLine; result: MatchResult; verdict: Verdict }[];
}

const emptyTally = (): Tally => ({
  n: 0,
  correct: 0,
  clarifyRight: 0,
  clarifyWrong: 0,
  wrong: 0,
  falseReject: 0,
});

function count(t: Tally, v: Verdict): void {
  t.n++;
  if (v === 'correct') t.correct++;
  else if (v === 'clarify-right') t.clarifyRight++;
  else if (v === 'clarify-wrong') t.clarifyWrong++;
  else if (v === 'wrong') t.wrong++;
  else t.falseReject++;
}

/** Expected calibration error over 10 equal-width bins. */
export function expectedCalibrationError(
  pairs: readonly { confidence: number; correct: boolean }[],
): number {
  const bins = Array.from({ length: 10 }, () => ({ n: 0, conf: 0, acc: 0 }));
  for (const { confidence, correct } of pairs) {
    const b = bins[Math.min(9, Math.floor(confidence * 10))]!;
    b.n++;
    b.conf += confidence;
    b.acc += correct ? 1 : 0;
  }
  const n = Math.max(1, pairs.length);
  return bins.reduce((s, b) => s + (b.n ? ((b.n / n) * Math.abs(b.conf - b.acc)) / b.n : 0), 0);
}

export function evaluate(lines: EvalLine[], route: (q: string) => MatchResult): EvalReport {
  const report: EvalReport = {
    onTopic: emptyTally(),
    offTopic: emptyTally(),
    byLang: {},
    byKind: {},
    byTopic: {},
    confusion: {},
    calibrationError: 0,
    sections: { n: 0, correct: 0 },
    misses: [],
  };
  const pairs: { confidence: number; correct: boolean }[] = [];
  for (const line of lines) {
    const result = route(line.q);
    const v = judge(line, result);
    count(line.topic === null ? report.offTopic : report.onTopic, v);
    report.byLang[line.lang] ??= emptyTally();
    count(report.byLang[line.lang]!, v);
    report.byKind[line.kind] ??= emptyTally();
    count(report.byKind[line.kind]!, v);
    const truth = line.topic === null ? 'none' : String(line.topic);
    report.byTopic[truth] ??= emptyTally();
    count(report.byTopic[truth]!, v);
    const routed = result.outcome === 'none' ? 'none' : String(result.topic);
    report.confusion[truth] ??= {};
    report.confusion[truth]![routed] = (report.confusion[truth]![routed] ?? 0) + 1;
    pairs.push({
      confidence: result.confidence,
      correct: result.outcome === 'none' ? line.topic === null : result.topic === line.topic,
    });
    if (line.section && result.outcome === 'answer' && result.topic === line.topic) {
      report.sections.n++;
      if (result.section === line.section) report.sections.correct++;
    }
    if (v !== 'correct') report.misses.push({ line, result, verdict: v });
  }
  report.calibrationError = expectedCalibrationError(pairs);
  return report;
}

export const pct = (t: Tally): string => `${((100 * t.correct) / Math.max(1, t.n)).toFixed(1)}%`;
