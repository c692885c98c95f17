/**
 * Reading an answer (a button's value or what someone typed) and checking it.
 * Normalized values: choice `A`…`D`, true/false `true`/`false`, numeric the number as text.
 */
import type { Lang } from '../knowledge/text.js';
import type { BankQuestion } from './bank.js';

export const LETTERS = 'ABCDEFGH';

const TRUE_WORDS = new Set(['true', 't', 'yes', 'y', '对', '是', '正确', '√', '✓', '✔', 'right']);
const FALSE_WORDS = new Set(['false', 'f', 'no', 'n', '错', '否', '错误', '×', '✗', '✘', 'wrong']);

/** Parse a number such as `120`, `1,200`, `1.2e2`, `≈120 GB`, `１２０`. */
export function parseNumber(raw: string): number | undefined {
  const s = raw
    .normalize('NFKC')
    .trim()
    .replace(/^[≈~约]\s*/u, '');
  const m =
    /^([-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:e[-+]?\d+)?|[-+]?\.\d+)\s*\S{0,8}$/i.exec(s);
  if (!m) return undefined;
  const n = Number(m[1]!.replace(/,/g, ''));
  return Number.isFinite(n) ? n : undefined;
}

/** The normalized answer, or undefined when the text is not an answer to this question. */
export function parseAnswer(q: BankQuestion, raw: string): string | undefined {
  const s = raw.normalize('NFKC').trim();
  if (!s) return undefined;
  if (q.type === 'choice') {
    const count = q.text.en.options?.length ?? 0;
    const letter = /^([a-h])[.)]?$/i.exec(s)?.[1];
    if (letter) {
      const i = LETTERS.indexOf(letter.toUpperCase());
      return i < count ? LETTERS[i] : undefined;
    }
    const number = /^(\d+)[.)]?$/.exec(s)?.[1];
    if (number) {
      const i = Number(number) - 1;
      if (i >= 0 && i < count) return LETTERS[i];
    }
    const wanted = s.toLowerCase();
    for (const lang of ['en', 'zh'] as const) {
      const i = (q.text[lang].options ?? []).findIndex((o) => o.trim().toLowerCase() === wanted);
      if (i >= 0) return LETTERS[i];
    }
    return undefined;
  }
  if (q.type === 'truefalse') {
    const w = s.toLowerCase();
    if (TRUE_WORDS.has(w)) return 'true';
    if (FALSE_WORDS.has(w)) return 'false';
    return undefined;
  }
  const n = parseNumber(s);
  return n === undefined ? undefined : String(n);
}

/** The normalized correct answer. */
export function correctAnswer(q: BankQuestion): string {
  if (q.type === 'choice') return LETTERS[Number(q.answer)] ?? '?';
  if (q.type === 'truefalse') return String(q.answer === true);
  return String(q.answer);
}

/** Is a normalized answer right? Numeric answers count within the relative tolerance. */
export function isCorrect(q: BankQuestion, value: string): boolean {
  if (q.type !== 'numeric') return value === correctAnswer(q);
  const n = Number(value);
  const target = Number(q.answer);
  if (!Number.isFinite(n)) return false;
  const tolerance = q.tolerance ?? 0;
  return Math.abs(n - target) <= Math.max(tolerance * Math.abs(target), 1e-9);
}

const TF_LABEL: Record<Lang, { true: string; false: string }> = {
  en: { true: 'True', false: 'False' },
  zh: { true: '对', false: '错' },
};

/** A normalized answer as a person reads it: `B. 16`, `True`, `120 GB`. */
export function answerLabel(q: BankQuestion, value: string, lang: Lang): string {
  if (q.type === 'choice') {
    const i = LETTERS.indexOf(value);
    const option = q.text[lang].options?.[i];
    return option === undefined ? value : `${value}. ${option}`;
  }
  if (q.type === 'truefalse') return value === 'true' ? TF_LABEL[lang].true : TF_LABEL[lang].false;
  return q.unit ? `${value} ${q.unit}` : value;
}

/** The answer choices of a question (value, label) in `lang`; none for numeric questions. */
export function answerChoices(q: BankQuestion, lang: Lang): { value: string; label: string }[] {
  if (q.type === 'choice') {
    return (q.text[lang].options ?? []).map((o, i) => ({
      value: LETTERS[i] ?? String(i),
      label: `${LETTERS[i]}. ${o}`,
    }));
  }
  if (q.type === 'truefalse') {
    return [
      { value: 'true', label: TF_LABEL[lang].true },
      { value: 'false', label: TF_LABEL[lang].false },
    ];
  }
  return [];
}
