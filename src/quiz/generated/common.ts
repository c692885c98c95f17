/**
 * What every calculation-question generator shares: a seeded random source, the choice
 * builder (distractors from labelled classic mistakes, in an order fixed by the id) and
 * number formatting.
 */
import type { Lang } from '../../knowledge/text.js';
import { seededRandom } from '../../tools/shared/random.js';
import { LETTERS } from '../answer.js';
import type { BankQuestion, Difficulty, GeneratedInfo, QuestionGenerator } from '../bank.js';

export { seededRandom };

export type Bilingual = Record<Lang, string>;

/** The prefix of every generated question id: `gen:<generator>:<params>`. */
export const GENERATED_PREFIX = 'gen:';

/** FNV-1a over UTF-16 units: the seed of a question's option order. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

export function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.min(items.length - 1, Math.floor(random() * items.length))] as T;
}

/** `1,234,567`. */
export function int(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** Bytes as GB (10⁹) with four significant digits: `107.8 GB`, `0.2684 GB`, `1,078 GB`. */
export function gbText(bytes: number): string {
  const gb = bytes / 1e9;
  return `${gb >= 1000 ? int(gb) : String(Number(gb.toPrecision(4)))} GB`;
}

/** A wrong answer someone reaches by a classic mistake, and the mistake's name. */
export interface Mistake {
  value: number;
  why: Bilingual;
}

export interface ChoiceSpec {
  generator: QuestionGenerator;
  params: string;
  /** The right value (what the calculator computed) and how an option shows a value. */
  value: number;
  format(value: number): string;
  question: Bilingual;
  /** The calculation, term by term, one line each. */
  working: Record<Lang, string[]>;
  /** Candidates in order of preference; the first three that read differently are used. */
  mistakes: readonly Mistake[];
  /** The value is a whole number (a count): fallback distractors are rounded too. */
  whole?: boolean;
  /** Smallest relative distance between two options (default 0.03). */
  minGap?: number;
  info?: Omit<GeneratedInfo, 'generator' | 'value'>;
  difficulty?: Difficulty;
}

const FALLBACK: readonly Mistake[] = [
  { value: 2, why: { en: 'counting everything twice', zh: '把所有项都算了两遍' } },
  { value: 0.5, why: { en: 'counting only half', zh: '只算了一半' } },
  { value: 10, why: { en: 'a factor of ten off (units)', zh: '单位换算差了 10 倍' } },
];

/** The three distractors: distinct labels, at least `minGap` apart from each other and the answer. */
function distractors(spec: ChoiceSpec): Mistake[] {
  const gap = spec.minGap ?? 0.03;
  const chosen: Mistake[] = [];
  const taken = [spec.value];
  const labels = new Set([spec.format(spec.value)]);
  const scaled = (f: number) => (spec.whole ? Math.round(f * spec.value) : f * spec.value);
  const fallback = FALLBACK.map((m) => ({ ...m, value: scaled(m.value) }));
  for (const m of [...spec.mistakes, ...fallback]) {
    if (chosen.length === 3) break;
    if (!Number.isFinite(m.value) || m.value <= 0) continue;
    const label = spec.format(m.value);
    const far = taken.every((v) => Math.abs(m.value - v) > gap * Math.max(v, m.value));
    if (labels.has(label) || !far) continue;
    chosen.push(m);
    taken.push(m.value);
    labels.add(label);
  }
  return chosen;
}

/**
 * A four-option choice question: the right value and three classic mistakes, shuffled by the
 * id (the same id always gives the same order); the explanation shows the calculation and
 * names the mistake behind each wrong option.
 */
export function choiceQuestion(spec: ChoiceSpec): BankQuestion {
  const g = spec.generator;
  const id = `${GENERATED_PREFIX}${g.name}:${spec.params}`;
  const wrong = distractors(spec);
  const entries = [{ value: spec.value, why: undefined as Bilingual | undefined }, ...wrong];
  const random = seededRandom(hashString(id));
  for (let i = entries.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [entries[i], entries[j]] = [entries[j]!, entries[i]!];
  }
  const options = entries.map((e) => spec.format(e.value));
  const answer = entries.findIndex((e) => e.why === undefined);
  const text = (lang: Lang) => {
    const traps = entries.flatMap((e, i) =>
      e.why ? [`${LETTERS[i]}. ${options[i]} — ${e.why[lang]}`] : [],
    );
    const head = lang === 'zh' ? '常见错误:' : 'The classic mistakes behind the other options:';
    return {
      question: spec.question[lang],
      options,
      explanation: [...spec.working[lang], `${head}\n${traps.join('\n')}`].join('\n'),
    };
  };
  return {
    id,
    topic: g.topic,
    type: 'choice',
    section: g.section,
    difficulty: spec.difficulty ?? g.difficulty,
    answer,
    text: { en: text('en'), zh: text('zh') },
    generated: { generator: g.name, value: spec.value, ...spec.info },
  };
}

/** A true/false question (a verdict such as "it fits"), with its working and a warning. */
export function trueFalseQuestion(spec: {
  generator: QuestionGenerator;
  params: string;
  answer: boolean;
  question: Bilingual;
  working: Record<Lang, string[]>;
  info?: Omit<GeneratedInfo, 'generator' | 'value'>;
}): BankQuestion {
  const g = spec.generator;
  const text = (lang: Lang) => ({
    question: spec.question[lang],
    explanation: spec.working[lang].join('\n'),
  });
  return {
    id: `${GENERATED_PREFIX}${g.name}:${spec.params}`,
    topic: g.topic,
    type: 'truefalse',
    section: g.section,
    difficulty: g.difficulty,
    answer: spec.answer,
    text: { en: text('en'), zh: text('zh') },
    generated: { generator: g.name, value: spec.answer ? 1 : 0, ...spec.info },
  };
}
