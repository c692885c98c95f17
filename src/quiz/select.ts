/**
 * Which questions a quiz asks: written questions of the topics at the level asked for, the
 * ones this channel has been asked least often first (so no written question comes back
 * before the whole bank at that level has been seen: the history is the store's record of
 * opened questions), and calculation questions drawn from the topics' generators.
 */
import type { BankQuestion, Difficulty, QuestionGenerator, QuizBank } from './bank.js';
import { GENERATED_PREFIX } from './generated/index.js';

export const QUIZ_KINDS = ['written', 'calc', 'mixed'] as const;
/** written: the bank's questions; calc: generated from the calculators; mixed: both. */
export type QuizKind = (typeof QUIZ_KINDS)[number];

export interface PlanRequest {
  topics: readonly number[];
  /** Only questions of this difficulty (all when absent). */
  level?: Difficulty;
  kind: QuizKind;
  count: number;
}

/** How often each question was asked in this place (ids never asked may be left out). */
export type AskedLookup = (ids: readonly string[]) => Promise<ReadonlyMap<string, number>>;

export type Plan =
  | { ok: true; questions: BankQuestion[]; available: number }
  /** `kind`: the topics have no generator; `level`: nothing of this kind at that level. */
  | { ok: false; field: 'topic' | 'kind' | 'level' };

/** In a mixed quiz, one question in this many is a calculation (when the topics have any). */
const CALC_SHARE = 3;

/** Pick `n` items at random without replacement (Fisher–Yates on a copy). */
export function sample<T>(items: readonly T[], n: number, random: () => number): T[] {
  const a = [...items];
  const k = Math.min(n, a.length);
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(random() * (a.length - i));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a.slice(0, k);
}

/** The `n` items asked least often, ties in random order (a stable sort of a shuffle). */
function leastAsked<T extends { id: string }>(
  items: readonly T[],
  n: number,
  asked: ReadonlyMap<string, number>,
  random: () => number,
): T[] {
  const times = (x: T) => asked.get(x.id) ?? 0;
  return sample(items, items.length, random)
    .sort((a, b) => times(a) - times(b))
    .slice(0, n);
}

/**
 * Up to `3n` distinct generated ids, taking the generators in turn (shuffled), so a quiz of
 * calculation questions spreads over every kind of question.
 */
function drawIds(generators: readonly QuestionGenerator[], n: number, random: () => number) {
  const order = sample(generators, generators.length, random);
  const ids: { id: string }[] = [];
  const seen = new Set<string>();
  for (let attempt = 0; ids.length < 3 * n && attempt < 30 * n; attempt++) {
    const g = order[attempt % order.length]!;
    const id = `${GENERATED_PREFIX}${g.name}:${g.draw(random)}`;
    if (seen.has(id)) continue;
    seen.add(id);
    ids.push({ id });
  }
  return ids;
}

/** Plan a quiz: the questions to ask, or which choice leaves nothing to ask. */
export async function planQuiz(
  bank: QuizBank,
  req: PlanRequest,
  lookup: AskedLookup,
  random: () => number,
): Promise<Plan> {
  const atLevel = <T extends { difficulty?: Difficulty }>(x: T) =>
    req.level === undefined || x.difficulty === req.level;
  const allWritten = req.topics.flatMap((t) => bank.byTopic(t));
  const allGenerators = req.topics.flatMap((t) => bank.generators(t));
  if (req.kind === 'calc' && allGenerators.length === 0) return { ok: false, field: 'kind' };
  if (allWritten.length === 0 && (allGenerators.length === 0 || req.kind === 'written')) {
    return { ok: false, field: 'topic' };
  }
  const written = req.kind === 'calc' ? [] : allWritten.filter(atLevel);
  const generators = req.kind === 'written' ? [] : allGenerators.filter(atLevel);
  if (written.length === 0 && generators.length === 0) return { ok: false, field: 'level' };
  let nWritten = Math.min(written.length, req.count);
  if (generators.length > 0 && req.kind === 'mixed') {
    nWritten = Math.min(nWritten, req.count - Math.floor(req.count / CALC_SHARE));
  }
  const nCalc = generators.length > 0 ? req.count - nWritten : 0;
  const drawn = drawIds(generators, nCalc, random);
  const asked = await lookup([...written.map((q) => q.id), ...drawn.map((d) => d.id)]);
  const calc: BankQuestion[] = [];
  for (const d of leastAsked(drawn, drawn.length, asked, () => 0)) {
    if (calc.length === nCalc) break;
    const q = bank.get(d.id);
    if (q) calc.push(q);
  }
  const mine = leastAsked(written, nWritten, asked, random);
  const questions =
    req.kind === 'mixed' ? sample([...mine, ...calc], req.count, random) : [...mine, ...calc];
  return { ok: true, questions, available: written.length };
}
