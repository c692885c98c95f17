/**
 * The quiz bank: `bank/<lang>/NN.yaml` files (format: docs of issue 6, "quiz-format"),
 * validated with zod and cross-checked at start-up. A broken bank fails loudly with every
 * problem listed (file, question, field).
 *
 * Cross-checks beyond the schema: every expected topic exists in every language with at
 * least `minPerTopic` questions; ids are unique; options are unique (so exactly one option
 * is the correct one); the answer index points at an option; every section id exists in the
 * knowledge base and belongs to the file's topic; the zh and en files of a topic agree on
 * ids, order, types, sections, answers, tolerance and unit.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { KnowledgeBase } from '../knowledge/index.js';
import { knowledgeBase } from '../knowledge/index.js';
import type { Lang } from '../knowledge/text.js';
import { parseYaml } from '../knowledge/yaml.js';
import { GENERATORS, generatedResolver } from './generated/index.js';

export const LANGS: readonly Lang[] = ['zh', 'en'];
export const ALL_TOPICS: readonly number[] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
/** Relative tolerance of a numeric question that does not give one. */
export const DEFAULT_TOLERANCE = 0.05;
/** Ids appear in button actions (`/review <id> B`), which must stay within 100 characters. */
export const MAX_ID_LENGTH = 60;

export type QuestionType = 'choice' | 'truefalse' | 'numeric';
/** 1 basic, 2 practitioner, 3 expert. */
export type Difficulty = 1 | 2 | 3;

export interface QuestionText {
  question: string;
  /** Choice questions only, in the same order in every language. */
  options?: string[];
  explanation: string;
}

export interface BankQuestion {
  id: string;
  topic: number;
  type: QuestionType;
  section: string;
  /** 1 basic, 2 practitioner, 3 expert; absent on questions not yet graded. */
  difficulty?: Difficulty;
  /** choice: 0-based index of the correct option; truefalse: boolean; numeric: the value. */
  answer: number | boolean;
  /** numeric only: relative tolerance (0.05 = ±5 %). */
  tolerance?: number;
  unit?: string;
  text: Record<Lang, QuestionText>;
  /** Set on a calculation question generated from a calculator (see ./generated/). */
  generated?: GeneratedInfo;
}

/** What a generated question carries beyond a written one. */
export interface GeneratedInfo {
  /** The generator's name, e.g. `vram-states`. */
  generator: string;
  /** The value the correct answer states (bytes, tokens, chunks; 1 or 0 for yes or no). */
  value: number;
  /** The command line that computes it (replayed by the tests against its --json output). */
  command?: string;
  /** Where that command's --json output holds the value, e.g. `modelStatesBytes`. */
  jsonPath?: string;
}

/** Where calculation questions come from: one generator per kind of question. */
export interface QuestionGenerator {
  /** e.g. `vram-states`; ids are `gen:<name>:<params>`. */
  readonly name: string;
  readonly topic: number;
  /** The section of the knowledge base the question tests, e.g. `t5.optimizer`. */
  readonly section: string;
  readonly difficulty: Difficulty;
  /** Draw realistic parameters at random: the `<params>` part of an id. */
  draw(random: () => number): string;
  /** The question for `params`, or undefined when they are not valid for this generator. */
  build(params: string): BankQuestion | undefined;
}

export interface QuizBank {
  readonly questions: readonly BankQuestion[];
  readonly topics: readonly number[];
  /** A written question, or a generated one rebuilt from its id (`gen:<generator>:<params>`). */
  get(id: string): BankQuestion | undefined;
  byTopic(topic: number): readonly BankQuestion[];
  /** The calculation-question generators of a topic (none for most topics). */
  generators(topic: number): readonly QuestionGenerator[];
}

export class BankError extends Error {
  constructor(readonly issues: readonly string[]) {
    super(
      `the quiz bank has ${issues.length} problem${issues.length === 1 ? '' : 's'}:\n${issues
        .slice(0, 30)
        .map((i) => `  - ${i}`)
        .join('\n')}${issues.length > 30 ? `\n  … and ${issues.length - 30} more` : ''}`,
    );
    this.name = 'BankError';
  }
}

const text = z.string().trim().min(1, 'must not be empty');
const base = {
  id: z
    .string()
    .max(MAX_ID_LENGTH, `at most ${MAX_ID_LENGTH} characters`)
    .regex(/^[a-z0-9][a-z0-9._-]*$/, 'lower-case letters, digits, ".", "_" or "-"'),
  section: z.string().regex(/^t\d+\.[a-z0-9-]+$/, 'a section id such as t5.optimizer'),
  difficulty: z
    .union([z.literal(1), z.literal(2), z.literal(3)], {
      error: 'difficulty is 1 (basic), 2 (practitioner) or 3 (expert)',
    })
    .optional(),
  question: text,
  explanation: text,
};

const choiceSchema = z.strictObject({
  ...base,
  type: z.literal('choice'),
  options: z.array(text).length(4, 'a choice question has exactly 4 options'),
  answer: z.number().int().min(0).max(3),
});
const trueFalseSchema = z.strictObject({
  ...base,
  type: z.literal('truefalse'),
  answer: z.boolean(),
});
const numericSchema = z.strictObject({
  ...base,
  type: z.literal('numeric'),
  answer: z.number().finite(),
  tolerance: z.number().min(0).max(0.5).optional(),
  unit: text.optional(),
});

export const bankFileSchema = z.strictObject({
  topic: z.number().int().min(1).max(10),
  lang: z.enum(['zh', 'en']),
  questions: z.array(z.discriminatedUnion('type', [choiceSchema, trueFalseSchema, numericSchema])),
});

export type BankFile = z.output<typeof bankFileSchema>;
type FileQuestion = BankFile['questions'][number];

/** One bank file as read from disk (or built by a test). */
export interface RawBankFile {
  /** Shown in messages, e.g. `bank/en/05.yaml`; `<lang>/<NN>.yaml` is checked against it. */
  file: string;
  data: unknown;
}

export interface BankOptions {
  /** The knowledge base the section ids must exist in (default: the bundled one). */
  knowledge?: KnowledgeBase;
  /** Topics that must be present (default 1–10). */
  topics?: readonly number[];
  /** Fewest questions per topic and language (default 6). */
  minPerTopic?: number;
  /** The calculation-question generators (default: the bundled ones, `GENERATORS`). */
  generators?: readonly QuestionGenerator[];
}

function normalizeOption(s: string): string {
  return s.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();
}

function sectionIds(knowledge: KnowledgeBase): Set<string> {
  const ids = new Set<string>();
  for (const topic of knowledge.topics) {
    for (const lang of LANGS) for (const s of topic.docs[lang].sections) ids.add(s.id);
  }
  return ids;
}

function pathOf(path: readonly PropertyKey[]): string {
  return path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i ? '.' : ''}${String(p)}`))
    .join('');
}

type Parsed = Map<string, { file: string; doc: BankFile }>; // key lang:topic

/** One file's questions: ids once, sections of its own topic, options that make sense. */
function checkQuestions(file: string, doc: BankFile, sections: Set<string>, issues: string[]) {
  const ids = new Set<string>();
  doc.questions.forEach((q, i) => {
    const where = `${file}: questions[${i}] (${q.id})`;
    if (ids.has(q.id)) issues.push(`${where}: id is used twice in this file`);
    ids.add(q.id);
    if (!sections.has(q.section)) {
      issues.push(`${where}: section "${q.section}" does not exist in the knowledge base`);
    } else if (!q.section.startsWith(`t${doc.topic}.`)) {
      issues.push(`${where}: section "${q.section}" belongs to another topic than ${doc.topic}`);
    }
    if (q.type === 'choice') {
      const seen = new Set(q.options.map(normalizeOption));
      if (seen.size !== q.options.length) {
        issues.push(`${where}: options must be unique (exactly one may be correct)`);
      }
      if (q.answer >= q.options.length) {
        issues.push(`${where}: answer ${q.answer} is not an option index`);
      }
    }
  });
}

/** Parse and check each file on its own; the files that pass, by language and topic. */
function parseFiles(
  files: readonly RawBankFile[],
  sections: Set<string>,
  minPerTopic: number,
  issues: string[],
): Parsed {
  const parsed: Parsed = new Map();
  for (const { file, data } of files) {
    const r = bankFileSchema.safeParse(data);
    if (!r.success) {
      for (const issue of r.error.issues) {
        issues.push(`${file}: ${pathOf(issue.path) || '(file)'}: ${issue.message}`);
      }
      continue;
    }
    const doc = r.data;
    const m = /(?:^|[\\/])(zh|en)[\\/](\d\d)\.ya?ml$/.exec(file);
    if (m && (m[1] !== doc.lang || Number(m[2]) !== doc.topic)) {
      issues.push(
        `${file}: says topic ${doc.topic}, lang ${doc.lang}; the file must be ${doc.lang}/${String(doc.topic).padStart(2, '0')}.yaml`,
      );
      continue;
    }
    const key = `${doc.lang}:${doc.topic}`;
    const other = parsed.get(key);
    if (other) {
      issues.push(`${file}: topic ${doc.topic} (${doc.lang}) is also in ${other.file}`);
      continue;
    }
    parsed.set(key, { file, doc });
    checkQuestions(file, doc, sections, issues);
    if (doc.questions.length < minPerTopic) {
      issues.push(
        `${file}: has ${doc.questions.length} questions; each topic needs at least ${minPerTopic}`,
      );
    }
  }
  return parsed;
}

/** Pair each topic's zh and en files question by question: every id once across the bank. */
function pairLanguages(parsed: Parsed, expected: readonly number[], issues: string[]) {
  const questions: BankQuestion[] = [];
  const seenIds = new Map<string, string>();
  const topics = [...new Set([...parsed.values()].map((p) => p.doc.topic))].sort((a, b) => a - b);
  for (const topic of topics) {
    const zh = parsed.get(`zh:${topic}`);
    const en = parsed.get(`en:${topic}`);
    if (!zh || !en) {
      const has = zh ?? en;
      if (has && !expected.includes(topic)) {
        issues.push(`${has.file}: topic ${topic} exists in one language only`);
      }
      continue;
    }
    const a = zh.doc.questions;
    const b = en.doc.questions;
    if (a.length !== b.length) {
      issues.push(
        `${zh.file} has ${a.length} questions and ${en.file} has ${b.length}; they must match`,
      );
    }
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      const qz = a[i]!;
      const qe = b[i]!;
      const where = `${zh.file} / ${en.file}: questions[${i}]`;
      const diff = disagreement(qz, qe);
      if (diff) {
        issues.push(`${where}: zh and en disagree on ${diff}`);
        continue;
      }
      const before = seenIds.get(qz.id);
      if (before) {
        issues.push(`${where}: id "${qz.id}" is also used in ${before}`);
        continue;
      }
      seenIds.set(qz.id, zh.file);
      questions.push(merge(topic, qz, qe));
    }
  }
  return questions;
}

/**
 * Validate parsed bank files and build the bank. Returns every problem found, or the bank.
 */
export function buildBank(
  files: readonly RawBankFile[],
  options: BankOptions = {},
): { ok: true; bank: QuizBank } | { ok: false; issues: string[] } {
  const issues: string[] = [];
  const knowledge = options.knowledge ?? knowledgeBase();
  const expected = options.topics ?? ALL_TOPICS;
  const parsed = parseFiles(files, sectionIds(knowledge), options.minPerTopic ?? 6, issues);
  for (const topic of expected) {
    for (const lang of LANGS) {
      if (!parsed.has(`${lang}:${topic}`)) {
        issues.push(
          `${lang}/${String(topic).padStart(2, '0')}.yaml: missing (topic ${topic} in ${lang})`,
        );
      }
    }
  }
  const questions = pairLanguages(parsed, expected, issues);
  if (issues.length > 0) return { ok: false, issues };
  return { ok: true, bank: makeBank(questions, options.generators ?? GENERATORS) };
}

function disagreement(zh: FileQuestion, en: FileQuestion): string | undefined {
  if (zh.id !== en.id) return `the id ("${zh.id}" vs "${en.id}"; same ids in the same order)`;
  if (zh.type !== en.type) return `the type (${zh.type} vs ${en.type})`;
  if (zh.section !== en.section) return `the section (${zh.section} vs ${en.section})`;
  if (zh.difficulty !== en.difficulty) {
    return `the difficulty (${String(zh.difficulty)} vs ${String(en.difficulty)})`;
  }
  if (zh.answer !== en.answer) return `the answer (${String(zh.answer)} vs ${String(en.answer)})`;
  if (zh.type === 'choice' && en.type === 'choice' && zh.options.length !== en.options.length) {
    return 'the number of options';
  }
  if (zh.type === 'numeric' && en.type === 'numeric') {
    if ((zh.tolerance ?? DEFAULT_TOLERANCE) !== (en.tolerance ?? DEFAULT_TOLERANCE)) {
      return 'the tolerance';
    }
    if ((zh.unit ?? '') !== (en.unit ?? '')) return 'the unit';
  }
  return undefined;
}

function textOf(q: FileQuestion): QuestionText {
  return {
    question: q.question,
    ...(q.type === 'choice' ? { options: q.options } : {}),
    explanation: q.explanation,
  };
}

function merge(topic: number, zh: FileQuestion, en: FileQuestion): BankQuestion {
  const q: BankQuestion = {
    id: zh.id,
    topic,
    type: zh.type,
    section: zh.section,
    answer: zh.answer,
    text: { zh: textOf(zh), en: textOf(en) },
  };
  if (zh.difficulty !== undefined) q.difficulty = zh.difficulty;
  if (zh.type === 'numeric') {
    q.tolerance = zh.tolerance ?? DEFAULT_TOLERANCE;
    if (zh.unit !== undefined) q.unit = zh.unit;
  }
  return q;
}

/**
 * A bank over already-valid questions (ids unique) and the calculation generators (default:
 * the bundled ones, see ./generated/).
 */
export function makeBank(
  questions: readonly BankQuestion[],
  generators: readonly QuestionGenerator[] = [],
): QuizBank {
  const byId = new Map(questions.map((q) => [q.id, q]));
  const byTopic = new Map<number, BankQuestion[]>();
  for (const q of questions) {
    const list = byTopic.get(q.topic) ?? [];
    list.push(q);
    byTopic.set(q.topic, list);
  }
  const topics = [...byTopic.keys()].sort((a, b) => a - b);
  const resolver = generatedResolver(generators);
  return {
    questions,
    topics,
    get: (id) => byId.get(id) ?? resolver.get(id),
    byTopic: (topic) => byTopic.get(topic) ?? [],
    generators: (topic) => generators.filter((g) => g.topic === topic),
  };
}

/** The bank folder, found from this module's location in both src/ and dist/. */
export function defaultBankDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const candidate = join(dir, 'src', 'quiz', 'bank');
    if (existsSync(join(dir, 'package.json')) && existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  return join(dirname(fileURLToPath(import.meta.url)), 'bank');
}

/** Read every `<lang>/NN.yaml` under `dir` (YAML errors become issues). */
export function readBankFiles(dir: string): { files: RawBankFile[]; issues: string[] } {
  const files: RawBankFile[] = [];
  const issues: string[] = [];
  for (const lang of LANGS) {
    const langDir = join(dir, lang);
    if (!existsSync(langDir)) {
      issues.push(`${lang}/: folder missing in ${dir}`);
      continue;
    }
    for (const name of readdirSync(langDir).sort()) {
      if (!/\.ya?ml$/.test(name)) continue;
      const file = `${lang}/${name}`;
      try {
        files.push({ file, data: parseYaml(readFileSync(join(langDir, name), 'utf8')) });
      } catch (err) {
        issues.push(`${file}: not valid YAML: ${(err as Error).message.split('\n')[0]}`);
      }
    }
  }
  return { files, issues };
}

/** Load and validate the bank in `dir` (default: the bundled bank). Throws `BankError`. */
export function loadBank(options: BankOptions & { dir?: string } = {}): QuizBank {
  const { files, issues } = readBankFiles(options.dir ?? defaultBankDir());
  const built = buildBank(files, options);
  const all = [...issues, ...(built.ok ? [] : built.issues)];
  if (all.length > 0 || !built.ok) throw new BankError(all);
  return built.bank;
}

let cached: QuizBank | undefined;

/** The bundled bank, loaded and validated once. */
export function defaultBank(): QuizBank {
  cached ??= loadBank();
  return cached;
}
