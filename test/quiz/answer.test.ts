import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  answerChoices,
  answerLabel,
  correctAnswer,
  isCorrect,
  POINTS_CORRECT,
  POINTS_MAX_BONUS,
  parseAnswer,
  parseNumber,
  pointsFor,
  summarizeStats,
  WEAKEST_MIN_ANSWERS,
  weakestTopic,
} from '../../src/quiz/index.js';
import { fixtureBank } from './helpers.js';

const bank = fixtureBank();
const choice = bank.get('f5-bytes-per-param')!;
const tf = bank.get('f5-batch-weights')!;
const numeric = bank.get('f5-states-gb')!;

describe('reading answers', () => {
  it('reads letters, numbers and option text for a choice question', () => {
    expect(
      ['c', 'C', 'C.', 'c)', '3', '3)', '3.', '16', 'Ｃ'].map((v) => parseAnswer(choice, v)),
    ).toEqual(Array(9).fill('C'));
    expect(
      ['E', '0', '5', '5)', 'x', '', '   ', 'C))', '3,'].map((v) => parseAnswer(choice, v)),
    ).toEqual(Array(9).fill(undefined));
    expect(parseAnswer(choice, '批量大小 × 2')).toBe('D');
  });

  it('reads true/false in both languages', () => {
    expect(['true', 'T', 'yes', '对', '是', '正确'].map((v) => parseAnswer(tf, v))).toEqual(
      Array(6).fill('true'),
    );
    expect(['false', 'f', 'No', '错', '否', '错误'].map((v) => parseAnswer(tf, v))).toEqual(
      Array(6).fill('false'),
    );
    expect(parseAnswer(tf, 'A')).toBeUndefined();
  });

  it('reads numbers with units, separators and full-width digits', () => {
    expect(parseNumber('120')).toBe(120);
    expect(parseNumber('1,200')).toBe(1200);
    expect(parseNumber('1.2e2')).toBe(120);
    expect(parseNumber('≈ 120 GB')).toBe(120);
    expect(parseNumber('约120GB')).toBe(120);
    expect(parseNumber('１２０')).toBe(120);
    expect(parseNumber('.5')).toBe(0.5);
    for (const bad of ['', 'abc', '12 34 56 78', '1e999', 'GB 120']) {
      expect(parseNumber(bad), bad).toBeUndefined();
    }
  });

  it('accepts a numeric answer exactly within the relative tolerance', () => {
    expect(isCorrect(numeric, '114')).toBe(true); // −5 %
    expect(isCorrect(numeric, '126')).toBe(true); // +5 %
    expect(isCorrect(numeric, '113.9')).toBe(false);
    expect(isCorrect(numeric, '126.1')).toBe(false);
    fc.assert(
      fc.property(fc.double({ min: -1e6, max: 1e6, noNaN: true }), (v) => {
        const value = parseAnswer(numeric, String(v));
        if (value === undefined) return true;
        return isCorrect(numeric, value) === Math.abs(Number(value) - 120) <= 6;
      }),
    );
  });

  it('round-trips every choice: its value parses back to itself and only the answer is right', () => {
    for (const q of bank.questions) {
      const choices = answerChoices(q, 'en');
      const right = choices.filter((c) => isCorrect(q, c.value));
      if (q.type === 'numeric') {
        expect(choices).toEqual([]);
        expect(isCorrect(q, correctAnswer(q))).toBe(true);
        continue;
      }
      expect(right).toHaveLength(1);
      expect(right[0]!.value).toBe(correctAnswer(q));
      for (const c of choices) expect(parseAnswer(q, c.value)).toBe(c.value);
      for (const c of answerChoices(q, 'zh')) expect(parseAnswer(q, c.value)).toBe(c.value);
    }
  });

  it('labels answers for people', () => {
    expect(answerLabel(choice, 'C', 'en')).toBe('C. 16');
    expect(answerLabel(tf, 'false', 'zh')).toBe('错');
    expect(answerLabel(numeric, '120', 'en')).toBe('120 GB');
  });
});

describe('scoring', () => {
  it('gives 1 point plus up to 0.5 for speed, 0 for a wrong answer', () => {
    expect(pointsFor(true, 0, 30_000)).toBe(150);
    expect(pointsFor(true, 15_000, 30_000)).toBe(125);
    expect(pointsFor(true, 30_000, 30_000)).toBe(100);
    expect(pointsFor(true, 45_000, 30_000)).toBe(100);
    expect(pointsFor(false, 0, 30_000)).toBe(0);
  });

  it('is bounded and never rewards a slower answer (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 200_000 }),
        fc.integer({ min: 0, max: 200_000 }),
        fc.integer({ min: 10_000, max: 120_000 }),
        (a, b, window) => {
          const fast = pointsFor(true, Math.min(a, b), window);
          const slow = pointsFor(true, Math.max(a, b), window);
          return (
            fast >= slow &&
            slow >= POINTS_CORRECT &&
            fast <= POINTS_CORRECT + POINTS_MAX_BONUS &&
            pointsFor(false, a, window) === 0
          );
        },
      ),
    );
  });
});

describe('stats', () => {
  const rowOf = (topic: number, answered: number, correct: number) => ({
    topic,
    answered,
    correct,
  });

  it('finds the weakest topic: lowest accuracy with enough answers, ties by fewer answers (property)', () => {
    const row = fc.record({
      topic: fc.integer({ min: 1, max: 10 }),
      answered: fc.integer({ min: 1, max: 20 }),
      correct: fc.integer({ min: 0, max: 20 }),
    });
    fc.assert(
      fc.property(fc.uniqueArray(row, { selector: (r) => r.topic, maxLength: 10 }), (raw) => {
        const rows = raw.map((r) => ({ ...r, correct: Math.min(r.correct, r.answered) }));
        const s = summarizeStats(rows);
        expect(s.answered).toBe(rows.reduce((n, r) => n + r.answered, 0));
        expect(s.weakest).toEqual(weakestTopic(s.topics));
        const pool = rows.filter((r) => r.answered >= WEAKEST_MIN_ANSWERS);
        if (!s.weakest) return pool.every((r) => r.correct === r.answered);
        const min = Math.min(...pool.map((r) => r.correct / r.answered));
        const tied = pool.filter(
          (r) => r.correct * s.weakest!.answered === s.weakest!.correct * r.answered,
        );
        return (
          s.weakest.answered >= WEAKEST_MIN_ANSWERS &&
          s.weakest.accuracy === min &&
          s.weakest.accuracy < 1 &&
          tied.every((r) => r.answered >= s.weakest!.answered)
        );
      }),
    );
  });

  it('breaks a tie in accuracy by fewer answers, then by topic number', () => {
    expect(summarizeStats([rowOf(3, 6, 2), rowOf(5, 3, 1)]).weakest?.topic).toBe(5);
    expect(summarizeStats([rowOf(7, 4, 1), rowOf(2, 4, 1)]).weakest?.topic).toBe(2);
  });

  it('names no weakest topic from too few answers, nor when everything is right', () => {
    expect(summarizeStats([rowOf(4, 1, 0), rowOf(6, 1, 1)]).weakest).toBeUndefined();
    expect(summarizeStats([rowOf(4, 1, 0), rowOf(6, 3, 2)]).weakest?.topic).toBe(6);
    expect(summarizeStats([rowOf(6, 3, 3)]).weakest).toBeUndefined();
    expect(summarizeStats([]).weakest).toBeUndefined();
  });

  it('compares exact fractions, not rounded floats', () => {
    // 1/3 and 333/1000 round to the same percent; 333/1000 is lower
    expect(summarizeStats([rowOf(1, 3, 1), rowOf(2, 1000, 333)]).weakest?.topic).toBe(2);
  });
});
