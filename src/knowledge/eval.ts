/**
 * Scores the matcher on a labelled routing set (the format of test/fixtures/routing-dev.jsonl).
 * Used by `npm run eval` and by the test that holds the accuracy floor.
 */
import { z } from 'zod';
import type { MatchResult } from './matcher.js';

export const evalLineSchema = z.object({
  id: z.string(),
  q: z.string(),
  topic: z.number().int().min(1).max(10).nullable(),
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

export function evaluate(lines: EvalLine[], route: (q: string) => MatchResult): EvalReport {
  const report: EvalReport = {
    onTopic: emptyTally(),
    offTopic: emptyTally(),
    byLang: {},
    byKind: {},
    misses: [],
  };
  for (const line of lines) {
    const result = route(line.q);
    const v = judge(line, result);
    count(line.topic === null ? report.offTopic : report.onTopic, v);
    report.byLang[line.lang] ??= emptyTally();
    count(report.byLang[line.lang]!, v);
    report.byKind[line.kind] ??= emptyTally();
    count(report.byKind[line.kind]!, v);
    if (v !== 'correct') report.misses.push({ line, result, verdict: v });
  }
  return report;
}

export const pct = (t: Tally): string => `${((100 * t.correct) / Math.max(1, t.n)).toFixed(1)}%`;
