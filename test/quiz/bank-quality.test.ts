/**
 * Quality of the real quiz bank (issue 17, item 1), beyond what the loader validates:
 * enough questions per topic, an explicit difficulty on every question, no catch-all
 * options, a stated tolerance on every numeric question, options that differ after
 * normalisation, correct answers spread over the positions, and no near-duplicate questions.
 *
 * Every check is a pure function over parsed bank files. Each runs on the real bank and on
 * small in-memory files with one planted defect, so every check is shown to fail.
 */
import { describe, expect, it } from 'vitest';
import { bankFileSchema, defaultBankDir, readBankFiles } from '../../src/quiz/index.js';

type BankFile = ReturnType<typeof bankFileSchema.parse>;
type Question = BankFile['questions'][number];
/** A parsed bank file and its name, e.g. `en/05.yaml`. */
interface Named {
  file: string;
  doc: BankFile;
}

/** Topics held to the full bar: all ten. */
const CHECKED_TOPICS: readonly number[] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
const MIN_PER_TOPIC = 25;
/** No answer position may hold more than this share of a topic's choice questions. */
const MAX_POSITION_SHARE = 0.4;
/**
 * Character-trigram Jaccard similarity at or above which two question texts of one language
 * count as near-duplicates. Measured on the bank when topics 1–5 reached 26–28 questions: the
 * closest legitimate pairs (two KV-cache questions on different models and concepts, two
 * topic-7 questions sharing a setup) score at most 0.39 in either language. The rephrases
 * planted below (clauses reordered, a word changed) score 0.79 (en) and 0.55 (zh), and a real
 * template copy found while writing (the same KV-cache question with another model) scored
 * 0.58 (en) / 0.43 (zh). 0.5 leaves a margin above every legitimate pair and still catches
 * each duplicate in at least one language; zh and en are parallel, so one is enough.
 */
const NEAR_DUPLICATE = 0.5;

const CATCH_ALL = [
  /\b(?:all|none|both|neither) of (?:the )?(?:above|these|them|the options)\b/i,
  /\ball (?:the )?(?:options|answers) (?:are )?(?:correct|right|wrong)\b/i,
  /以上(?:都|皆|全|均|全部)?(?:对|错|正确|错误|是|不是|不对|都不|皆非|皆是)/u,
  /(?:都|全|均)(?:对|不对|正确|错误)$/u,
];

function where(f: Named, q: Question): string {
  return `${f.file}: ${q.id}`;
}

function tooFewQuestions(files: readonly Named[], topics: readonly number[]): string[] {
  const issues: string[] = [];
  for (const topic of topics) {
    for (const lang of ['zh', 'en'] as const) {
      const f = files.find((x) => x.doc.topic === topic && x.doc.lang === lang);
      const n = f?.doc.questions.length ?? 0;
      if (n < MIN_PER_TOPIC)
        issues.push(`${lang} topic ${topic}: ${n} questions, need ${MIN_PER_TOPIC}`);
    }
  }
  return issues;
}

/** Every question states its difficulty, and each file uses all three levels. */
function difficultyIssues(files: readonly Named[]): string[] {
  const issues: string[] = [];
  for (const f of files) {
    const levels = new Set<number>();
    for (const q of f.doc.questions) {
      if (q.difficulty === undefined) issues.push(`${where(f, q)}: no difficulty`);
      else levels.add(q.difficulty);
    }
    const absent = [1, 2, 3].filter((l) => !levels.has(l));
    if (absent.length > 0) issues.push(`${f.file}: no question of difficulty ${absent.join(', ')}`);
  }
  return issues;
}

function catchAllOptions(files: readonly Named[]): string[] {
  const issues: string[] = [];
  for (const f of files) {
    for (const q of f.doc.questions) {
      if (q.type !== 'choice') continue;
      for (const o of q.options) {
        if (CATCH_ALL.some((re) => re.test(o.trim()))) {
          issues.push(`${where(f, q)}: catch-all option "${o}"`);
        }
      }
    }
  }
  return issues;
}

function numericWithoutTolerance(files: readonly Named[]): string[] {
  return files.flatMap((f) =>
    f.doc.questions
      .filter((q) => q.type === 'numeric' && q.tolerance === undefined)
      .map((q) => `${where(f, q)}: numeric question without a tolerance`),
  );
}

/**
 * Lower case, compatibility forms folded, white space and punctuation removed, except a mark
 * between two digits (1.1 and 11, 4,096 and 4096 are different numbers).
 */
function normalizeText(s: string): string {
  return s
    .normalize('NFKC')
    .toLowerCase()
    .replace(/\s+/gu, '')
    .replace(/\p{P}/gu, (mark, at: number, all: string) =>
      /\d/.test(all[at - 1] ?? '') && /\d/.test(all[at + 1] ?? '') ? mark : '',
    );
}

function sameOptions(files: readonly Named[]): string[] {
  const issues: string[] = [];
  for (const f of files) {
    for (const q of f.doc.questions) {
      if (q.type !== 'choice') continue;
      const seen = new Set(q.options.map(normalizeText));
      if (seen.size < q.options.length) issues.push(`${where(f, q)}: two options are the same`);
    }
  }
  return issues;
}

/** Share of a file's choice questions whose answer sits at each position (0–3). */
function answerShares(doc: BankFile): number[] {
  const answers = doc.questions.flatMap((q) => (q.type === 'choice' ? [q.answer] : []));
  return [0, 1, 2, 3].map((p) =>
    answers.length ? answers.filter((a) => a === p).length / answers.length : 0,
  );
}

function crowdedAnswerPositions(files: readonly Named[]): string[] {
  const issues: string[] = [];
  for (const f of files) {
    answerShares(f.doc).forEach((share, p) => {
      if (share > MAX_POSITION_SHARE) {
        issues.push(
          `${f.file}: ${Math.round(share * 100)} % of the choice answers are option ${'ABCD'[p]}`,
        );
      }
    });
  }
  return issues;
}

function trigrams(s: string): Set<string> {
  const chars = [...normalizeText(s)];
  const grams = new Set<string>();
  for (let i = 0; i + 3 <= chars.length; i++) grams.add(chars.slice(i, i + 3).join(''));
  return grams;
}

function jaccard(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  let shared = 0;
  for (const g of a) if (b.has(g)) shared++;
  return shared / (a.size + b.size - shared);
}

interface SimilarPair {
  a: string;
  b: string;
  similarity: number;
}

/** Every pair of question texts of one language across the bank, most similar first. */
function similarPairs(files: readonly Named[]): SimilarPair[] {
  const pairs: SimilarPair[] = [];
  for (const lang of ['zh', 'en'] as const) {
    const items = files
      .filter((f) => f.doc.lang === lang)
      .flatMap((f) =>
        f.doc.questions.map((q) => ({ name: where(f, q), grams: trigrams(q.question) })),
      );
    for (let i = 0; i < items.length; i++) {
      for (let j = i + 1; j < items.length; j++) {
        const similarity = jaccard(items[i]!.grams, items[j]!.grams);
        pairs.push({ a: items[i]!.name, b: items[j]!.name, similarity });
      }
    }
  }
  return pairs.sort((x, y) => y.similarity - x.similarity);
}

function nearDuplicates(files: readonly Named[], threshold = NEAR_DUPLICATE): string[] {
  return similarPairs(files)
    .filter((p) => p.similarity >= threshold)
    .map((p) => `${p.a} ~ ${p.b}: similarity ${p.similarity.toFixed(2)}`);
}

function realBank(): Named[] {
  const { files, issues } = readBankFiles(defaultBankDir());
  expect(issues).toEqual([]);
  return files.map((f) => ({ file: f.file, doc: bankFileSchema.parse(f.data) }));
}

describe('the real quiz bank meets the quality bar', () => {
  const files = realBank();
  const checked = files.filter((f) => CHECKED_TOPICS.includes(f.doc.topic));

  it(`has at least ${MIN_PER_TOPIC} questions per language in topics ${CHECKED_TOPICS.join(', ')}`, () => {
    expect(tooFewQuestions(files, CHECKED_TOPICS)).toEqual([]);
  });

  it('gives every question a difficulty, and every topic all three levels', () => {
    expect(difficultyIssues(checked)).toEqual([]);
  });

  it('has no "all/none of the above" options', () => {
    expect(catchAllOptions(files)).toEqual([]);
  });

  it('states a tolerance on every numeric question', () => {
    expect(numericWithoutTolerance(files)).toEqual([]);
  });

  it('has options that stay distinct after normalisation', () => {
    expect(sameOptions(files)).toEqual([]);
  });

  it(`puts no more than ${MAX_POSITION_SHARE * 100} % of a topic's answers at one position`, () => {
    expect(crowdedAnswerPositions(checked)).toEqual([]);
  });

  it('has no near-duplicate questions within a language, across the whole bank', () => {
    expect(nearDuplicates(files)).toEqual([]);
  });
});

// ---- planted defects: each check fails on the defect it is meant to catch ----

function choice(
  id: string,
  answer: number,
  options: string[],
  question = `Question ${id}?`,
): Question {
  return {
    id,
    type: 'choice',
    section: 't5.params',
    difficulty: 2,
    question,
    options,
    answer,
    explanation: 'Why.',
  };
}

function file(questions: Question[], lang: 'zh' | 'en' = 'en', topic = 5): Named {
  return { file: `${lang}/0${topic}.yaml`, doc: { topic, lang, questions } };
}

const OPTIONS = ['alpha one', 'beta two', 'gamma three', 'delta four'];
/** Four well-formed choice questions, one answer at each position. */
const clean = () =>
  [0, 1, 2, 3].map((a) =>
    choice(
      `q${a}`,
      a,
      OPTIONS,
      [
        'Why is the sky blue at noon?',
        'How many bytes per fp16 value?',
        'Which optimizer keeps two moments?',
        'What does ZeRO-3 shard?',
      ][a],
    ),
  );

describe('each quality check catches its planted defect', () => {
  it('passes a clean file', () => {
    const f = [file(clean())];
    expect([
      ...difficultyIssues([
        file([
          ...clean(),
          { ...clean()[0]!, id: 'e', difficulty: 1 },
          { ...clean()[0]!, id: 'h', difficulty: 3 },
        ]),
      ]),
      ...catchAllOptions(f),
      ...numericWithoutTolerance(f),
      ...sameOptions(f),
      ...crowdedAnswerPositions(f),
      ...nearDuplicates(f),
    ]).toEqual([]);
  });

  it('too few questions in a topic, or a language missing', () => {
    const files = [file(clean(), 'en'), file(clean(), 'zh')];
    expect(tooFewQuestions(files, [5])).toEqual([
      'zh topic 5: 4 questions, need 25',
      'en topic 5: 4 questions, need 25',
    ]);
    expect(tooFewQuestions([file(clean(), 'en')], [5])[0]).toBe('zh topic 5: 0 questions, need 25');
    const many = Array.from({ length: 25 }, (_, i) => ({ ...clean()[0]!, id: `m${i}` }));
    expect(tooFewQuestions([file(many, 'en'), file(many, 'zh')], [5])).toEqual([]);
  });

  it('a question without a difficulty, and a topic missing a level', () => {
    const qs = clean();
    delete qs[1]!.difficulty;
    const issues = difficultyIssues([file(qs)]);
    expect(issues).toContain('en/05.yaml: q1: no difficulty');
    expect(issues).toContain('en/05.yaml: no question of difficulty 1, 3');
  });

  it('catch-all options in English and Chinese', () => {
    for (const bad of [
      'All of the above',
      'none of these',
      'Both of the above',
      '以上都对',
      '以上皆是',
      '以上都不是',
      '都正确',
    ]) {
      const qs = clean();
      qs[2] = choice('q2', 2, ['alpha', 'beta', 'gamma', bad]);
      expect(catchAllOptions([file(qs)]), bad).toEqual([
        `en/05.yaml: q2: catch-all option "${bad}"`,
      ]);
    }
    // words that only look alike stay allowed
    const ok = clean();
    ok[0] = choice('q0', 0, [
      'Above all, the weights',
      'None of the weights move',
      'All layers at once',
      '以上两项中的前一项',
    ]);
    expect(catchAllOptions([file(ok)])).toEqual([]);
  });

  it('a numeric question that leaves the tolerance to the default', () => {
    const q: Question = {
      id: 'n',
      type: 'numeric',
      section: 't5.params',
      difficulty: 1,
      question: 'How many GB?',
      answer: 14,
      unit: 'GB',
      explanation: 'Why.',
    };
    expect(numericWithoutTolerance([file([q])])).toEqual([
      'en/05.yaml: n: numeric question without a tolerance',
    ]);
    expect(numericWithoutTolerance([file([{ ...q, tolerance: 0 }])])).toEqual([]);
  });

  it('options that differ only in case, width, punctuation or spacing', () => {
    // numbers that differ only by a decimal point are different options
    const numbers = clean();
    numbers[0] = choice('q0', 0, ['约 1.1 亿', '约 11 亿', '4,096', '4096 tokens']);
    expect(sameOptions([file(numbers)])).toEqual([]);
    for (const twin of ['Alpha one', 'alpha  one.', 'ａｌｐｈａ　ｏｎｅ', '"alpha one"']) {
      const qs = clean();
      qs[3] = choice('q3', 3, ['alpha one', 'beta', 'gamma', twin]);
      expect(sameOptions([file(qs)]), twin).toEqual(['en/05.yaml: q3: two options are the same']);
    }
  });

  it('correct answers crowded at one position', () => {
    const qs = clean();
    qs[3] = choice('q3', 1, OPTIONS, 'What does ZeRO-3 shard?');
    qs.push(choice('q4', 2, OPTIONS, 'A fifth question on something else?'));
    // positions 0, 1, 2, 1, 2 → 40 % at B and C: allowed
    expect(crowdedAnswerPositions([file(qs)])).toEqual([]);
    qs.push(choice('q5', 1, OPTIONS, 'A sixth question on another thing?'));
    expect(answerShares(file(qs).doc)[1]).toBeCloseTo(0.5);
    expect(crowdedAnswerPositions([file(qs)])).toEqual([
      'en/05.yaml: 50 % of the choice answers are option B',
    ]);
  });

  it('near-duplicate question texts, within one language only', () => {
    const a =
      'A 7.5B-parameter model is trained with mixed-precision AdamW on one GPU. How much memory do the model states take, in GB?';
    const rephrased =
      'A 7.5B-parameter model is trained on one GPU with mixed-precision AdamW. How much memory do its model states take, in GB?';
    const issues = nearDuplicates([
      file([choice('x', 0, OPTIONS, a)]),
      file([choice('y', 1, OPTIONS, rephrased)], 'en', 4),
    ]);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatch(/^en\/05.yaml: x ~ en\/04.yaml: y: similarity 0\.\d\d$/);
    const zh = '一个 75 亿参数的模型在单卡上用混合精度 AdamW 训练，模型状态占多少显存？';
    const zhTwin = '75 亿参数的模型用混合精度 AdamW 在单卡上训练，它的模型状态占多少显存？';
    expect(
      nearDuplicates([
        file([choice('z1', 0, OPTIONS, zh)], 'zh'),
        file([choice('z2', 0, OPTIONS, zhTwin)], 'zh', 4),
      ]),
    ).toHaveLength(1);
    // the same text in the other language is not compared, and a different question passes
    expect(
      nearDuplicates([
        file([choice('x', 0, OPTIONS, a)]),
        file([choice('z', 0, OPTIONS, a)], 'zh'),
      ]),
    ).toEqual([]);
    expect(
      nearDuplicates([
        file([
          choice('x', 0, OPTIONS, a),
          choice(
            'w',
            1,
            OPTIONS,
            'What does ZeRO-2 shard across the GPUs compared with plain data parallelism?',
          ),
        ]),
      ]),
    ).toEqual([]);
    expect(jaccard(new Set(['abc']), new Set(['abc']))).toBe(1);
    expect(jaccard(new Set(['abc']), new Set(['xyz']))).toBe(0);
  });
});
