import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { knowledgeBase } from '../../src/knowledge/index.js';
import {
  ALL_TOPICS,
  BankError,
  buildBank,
  defaultBankDir,
  loadBank,
  type RawBankFile,
  readBankFiles,
} from '../../src/quiz/index.js';
import { FIXTURE_BANK_DIR, fixtureBank } from './helpers.js';

const OPTS = { topics: [1, 5], minPerTopic: 4 };

/** The fixture files, parsed, for mutation. */
function fixtureFiles(): {
  file: string;
  data: Record<string, unknown> & { questions: Record<string, unknown>[] };
}[] {
  return ['zh/01.yaml', 'en/01.yaml', 'zh/05.yaml', 'en/05.yaml'].map((file) => ({
    file,
    data: parse(readFileSync(join(FIXTURE_BANK_DIR, file), 'utf8')),
  }));
}

function mutated(mutate: (files: ReturnType<typeof fixtureFiles>) => void): RawBankFile[] {
  const files = fixtureFiles();
  mutate(files);
  return files as RawBankFile[];
}

function issuesAfter(mutate: (files: ReturnType<typeof fixtureFiles>) => void): string[] {
  const r = buildBank(mutated(mutate), OPTS);
  return r.ok ? [] : r.issues;
}

const en5 = (f: ReturnType<typeof fixtureFiles>) => f.find((x) => x.file === 'en/05.yaml')!.data;
const zh5 = (f: ReturnType<typeof fixtureFiles>) => f.find((x) => x.file === 'zh/05.yaml')!.data;

describe('bank loader', () => {
  it('loads the fixture bank: both languages merged per question', () => {
    const bank = fixtureBank();
    expect(bank.topics).toEqual([1, 5]);
    expect(bank.questions).toHaveLength(8);
    expect(bank.byTopic(5).map((q) => q.type)).toEqual([
      'choice',
      'truefalse',
      'choice',
      'numeric',
    ]);
    const q = bank.get('f5-bytes-per-param')!;
    expect(q.text.en.options).toEqual(['2', '4', '16', 'batch size × 2']);
    expect(q.text.zh.options?.[3]).toBe('批量大小 × 2');
    expect(bank.get('f5-states-gb')).toMatchObject({ answer: 120, tolerance: 0.05, unit: 'GB' });
    expect(bank.get('nope')).toBeUndefined();
    expect(bank.byTopic(7)).toEqual([]);
  });

  it('fails with every problem listed when topics are missing', () => {
    expect(() => loadBank({ dir: FIXTURE_BANK_DIR })).toThrow(BankError);
    try {
      loadBank({ dir: FIXTURE_BANK_DIR });
    } catch (err) {
      const issues = (err as BankError).issues;
      expect(issues).toContain('zh/02.yaml: missing (topic 2 in zh)');
      expect(issues).toContain('en/10.yaml: missing (topic 10 in en)');
      expect(issues.filter((i) => i.includes('missing'))).toHaveLength(16);
      expect(issues.some((i) => i.includes('at least 6'))).toBe(true);
    }
  });

  it('reports a missing folder and invalid YAML', () => {
    const { issues } = readBankFiles(join(FIXTURE_BANK_DIR, 'no-such-dir'));
    expect(issues).toHaveLength(2);
    const files: RawBankFile[] = fixtureFiles();
    files.push({ file: 'en/09.yaml', data: 'just a string' });
    const r = buildBank(files, OPTS);
    expect(r.ok).toBe(false);
    expect(r.ok ? [] : r.issues).toEqual([expect.stringMatching(/^en\/09.yaml: \(file\): /)]);
  });

  it('rejects duplicate options (two could be correct) and a wrong option count', () => {
    const dup = issuesAfter((f) => {
      en5(f).questions[0]!.options = ['2', '4', '16', ' 16 '];
    });
    expect(dup).toEqual([
      'en/05.yaml: questions[0] (f5-bytes-per-param): options must be unique (exactly one may be correct)',
    ]);
    const three = issuesAfter((f) => {
      en5(f).questions[0]!.options = ['2', '4', '16'];
    });
    expect(three.join('\n')).toMatch(
      /questions\[0\]\.options: a choice question has exactly 4 options/,
    );
  });

  it('rejects an answer that is not an option and a truefalse answer that is not a boolean', () => {
    const i = issuesAfter((f) => {
      en5(f).questions[0]!.answer = 4;
      en5(f).questions[1]!.answer = 'yes';
    });
    expect(i.join('\n')).toMatch(/en\/05.yaml: questions\[0\]\.answer: /);
    expect(i.join('\n')).toMatch(/en\/05.yaml: questions\[1\]\.answer: /);
  });

  it('takes a difficulty of 1, 2 or 3 and nothing else', () => {
    const ok = buildBank(
      mutated((f) => {
        en5(f).questions[0]!.difficulty = 3;
        zh5(f).questions[0]!.difficulty = 3;
      }),
      OPTS,
    );
    expect(ok.ok && ok.bank.get('f5-bytes-per-param')?.difficulty).toBe(3);
    const i = issuesAfter((f) => {
      en5(f).questions[0]!.difficulty = 4;
    });
    expect(i.join('\n')).toMatch(
      /en\/05.yaml: questions\[0\]\.difficulty: difficulty is 1 \(basic\), 2 \(practitioner\) or 3 \(expert\)/,
    );
  });

  it('rejects unknown fields, empty text and a bad id', () => {
    const i = issuesAfter((f) => {
      en5(f).questions[0]!.hint = 'x';
      en5(f).questions[1]!.explanation = '  ';
      en5(f).questions[2]!.id = 'Bad Id!';
    });
    // a file that fails its schema is left out, so its topic is also reported missing
    expect(i).toHaveLength(4);
    expect(i.join('\n')).toMatch(/questions\[0\]: Unrecognized key: "hint"/);
    expect(i.join('\n')).toMatch(/questions\[1\]\.explanation: must not be empty/);
    expect(i.join('\n')).toMatch(/questions\[2\]\.id: lower-case letters/);
    expect(i).toContain('en/05.yaml: missing (topic 5 in en)');
  });

  it('checks every section id against the knowledge base and the file topic', () => {
    const i = issuesAfter((f) => {
      en5(f).questions[0]!.section = 't5.nope';
      zh5(f).questions[0]!.section = 't5.nope';
      en5(f).questions[1]!.section = 't6.hyperparams';
      zh5(f).questions[1]!.section = 't6.hyperparams';
    });
    expect(i).toContain(
      'zh/05.yaml: questions[0] (f5-bytes-per-param): section "t5.nope" does not exist in the knowledge base',
    );
    expect(i).toContain(
      'en/05.yaml: questions[1] (f5-batch-weights): section "t6.hyperparams" belongs to another topic than 5',
    );
    // the knowledge base is a parameter: an empty one knows no section
    const r = buildBank(fixtureFiles() as RawBankFile[], {
      ...OPTS,
      knowledge: { topics: [] },
    });
    expect(r.ok ? 0 : r.issues.length).toBe(8 * 2);
  });

  it('requires zh and en to agree on ids, order, types, sections and answers', () => {
    const cases: [string, (f: ReturnType<typeof fixtureFiles>) => void, RegExp][] = [
      [
        'answer',
        (f) => {
          zh5(f).questions[0]!.answer = 1;
        },
        /disagree on the answer \(1 vs 2\)/,
      ],
      ['order', (f) => void zh5(f).questions.reverse(), /disagree on the id/],
      [
        'type',
        (f) => {
          zh5(f).questions[1] = { ...zh5(f).questions[1], type: 'numeric', answer: 0 };
        },
        /disagree on the type/,
      ],
      [
        'section',
        (f) => {
          zh5(f).questions[2]!.section = 't5.params';
        },
        /disagree on the section/,
      ],
      [
        'difficulty',
        (f) => {
          zh5(f).questions[2]!.difficulty = 3;
        },
        /disagree on the difficulty \(3 vs undefined\)/,
      ],
      [
        'tolerance',
        (f) => {
          zh5(f).questions[3]!.tolerance = 0.1;
        },
        /disagree on the tolerance/,
      ],
      [
        'unit',
        (f) => {
          zh5(f).questions[3]!.unit = 'GiB';
        },
        /disagree on the unit/,
      ],
      ['count', (f) => void zh5(f).questions.pop(), /has 3 questions and en\/05.yaml has 4/],
    ];
    for (const [name, mutate, expected] of cases) {
      const issues = issuesAfter(mutate);
      expect(issues.join('\n'), name).toMatch(expected);
    }
  });

  it('rejects an id used twice and a file whose name does not match its content', () => {
    const twice = issuesAfter((f) => {
      for (const lang of ['zh', 'en']) {
        const d = f.find((x) => x.file === `${lang}/05.yaml`)!.data;
        d.questions[0]!.id = 'f1-remedy';
      }
    });
    expect(twice.join('\n')).toMatch(/id "f1-remedy" is also used in zh\/01.yaml/);
    const misnamed = issuesAfter((f) => {
      en5(f).topic = 1;
    });
    expect(misnamed.join('\n')).toMatch(
      /en\/05.yaml: says topic 1, lang en; the file must be en\/01.yaml/,
    );
  });

  it('requires the minimum number of questions per topic', () => {
    const files = fixtureFiles();
    const r = buildBank(files as RawBankFile[], { topics: [1, 5], minPerTopic: 6 });
    expect(r.ok ? [] : r.issues).toHaveLength(4);
  });
});

describe('the real quiz bank (src/quiz/bank)', () => {
  const dir = defaultBankDir();
  const complete = ALL_TOPICS.every((n) =>
    ['zh', 'en'].every((l) => existsSync(join(dir, l, `${String(n).padStart(2, '0')}.yaml`))),
  );

  it('is valid for the topics written so far', () => {
    const { files, issues } = readBankFiles(dir);
    expect(issues).toEqual([]);
    const topics = [...new Set(files.map((f) => Number(/(\d\d)\.ya?ml$/.exec(f.file)?.[1])))];
    const r = buildBank(files, { topics, knowledge: knowledgeBase() });
    expect(r.ok ? [] : r.issues).toEqual([]);
  });

  it.runIf(complete)('covers all ten topics in both languages with at least 6 questions', () => {
    const bank = loadBank();
    expect(bank.topics).toEqual([...ALL_TOPICS]);
    for (const t of ALL_TOPICS) expect(bank.byTopic(t).length).toBeGreaterThanOrEqual(6);
    expect(bank.questions.length).toBeGreaterThanOrEqual(120 / 2);
    // every kind of question is there
    expect(new Set(bank.questions.map((q) => q.type))).toEqual(
      new Set(['choice', 'truefalse', 'numeric']),
    );
  });
});
