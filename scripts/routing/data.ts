/**
 * The router's training data: the writers' lines in training/routing/*.jsonl (one file per
 * writer; the file name is the writer's id, used to group cross-validation folds) and lines
 * drawn from the knowledge base itself (titles, example questions, section headings and
 * keywords; group "kb"). The inputs hash covers every file the model depends on, so a test
 * can tell when the shipped model is stale.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { evalLineSchema } from '../../src/knowledge/eval.js';
import { defaultContentDir, type KnowledgeBase } from '../../src/knowledge/load.js';
import { normalize } from '../../src/knowledge/text.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const TRAINING_DIR = join(ROOT, 'training', 'routing');

/** A training line: an evaluation line without its id or alternative topics. */
export const trainLineSchema = z.strictObject(
  evalLineSchema.omit({ id: true, alt: true }).extend({ q: z.string().trim().min(1) }).shape,
);

export interface TrainLine {
  q: string;
  /** 1–10, or 0 for "not one of my topics". */
  topic: number;
  section?: string;
  lang: string;
  kind: string;
  /** Who wrote it: the file's name, or "kb" for lines from the knowledge base. */
  group: string;
}

export function trainingFiles(dir = TRAINING_DIR): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .sort()
    .map((f) => join(dir, f));
}

/** Parse one writer's file; errors name the file and line. */
export function parseTrainingFile(path: string, kb: KnowledgeBase): TrainLine[] {
  const group = basename(path, '.jsonl');
  const sections = new Set(kb.topics.flatMap((t) => t.docs.en.sections.map((s) => s.id)));
  return readFileSync(path, 'utf8')
    .split('\n')
    .map((line, i) => ({ line, n: i + 1 }))
    .filter(({ line }) => line.trim())
    .map(({ line, n }) => {
      let raw: unknown;
      try {
        raw = JSON.parse(line);
      } catch (err) {
        throw new Error(`${group}.jsonl:${n}: invalid JSON: ${(err as Error).message}`);
      }
      const r = trainLineSchema.safeParse(raw);
      if (!r.success) {
        const issue = r.error.issues[0]!;
        throw new Error(`${group}.jsonl:${n}: ${issue.path.join('.')}: ${issue.message}`);
      }
      const { section, topic } = r.data;
      if (section !== undefined) {
        if (!sections.has(section)) throw new Error(`${group}.jsonl:${n}: no section ${section}`);
        if (topic === null || !section.startsWith(`t${topic}.`)) {
          throw new Error(`${group}.jsonl:${n}: section ${section} is not in topic ${topic}`);
        }
      }
      return {
        q: r.data.q,
        topic: topic ?? 0,
        ...(section ? { section } : {}),
        lang: r.data.lang,
        kind: r.data.kind,
        group,
      };
    });
}

/**
 * Lines drawn from the knowledge base: what each topic and section says it is about (titles,
 * headings, keywords). Its example questions are not used: they sit too close to dev-set lines.
 */
export function knowledgeLines(kb: KnowledgeBase): TrainLine[] {
  const out: TrainLine[] = [];
  for (const topic of kb.topics) {
    for (const doc of Object.values(topic.docs)) {
      const lang = doc.lang;
      const add = (q: string, kind: string, section?: string) =>
        out.push({ q, topic: topic.id, lang, kind, group: 'kb', ...(section ? { section } : {}) });
      // a question about the whole topic is answered from its first section
      add(doc.title, 'title', doc.sections[0]?.id);
      for (const s of doc.sections) {
        add(s.heading, 'heading', s.id);
        if (s.keywords.length > 0) add(s.keywords.join(' '), 'keywords', s.id);
      }
    }
  }
  return out;
}

/**
 * The sentences of every section's text, labelled with the section, and of the short answer,
 * labelled with the first section (where a question about the whole topic starts): they teach
 * the section models the words each section uses (not used for choosing the topic).
 */
export function sectionTextLines(kb: KnowledgeBase): TrainLine[] {
  const out: TrainLine[] = [];
  const sentences = (text: string) =>
    text
      .split(/(?<=[。！？.!?])\s*|\n+/)
      .map((s) => s.trim())
      .filter((s) => s.length > 8);
  for (const topic of kb.topics) {
    for (const doc of Object.values(topic.docs)) {
      const add = (q: string, section: string) =>
        out.push({ q, topic: topic.id, section, lang: doc.lang, kind: 'text', group: 'kb' });
      for (const q of sentences(doc.short)) add(q, doc.sections[0]!.id);
      for (const s of doc.sections) for (const q of sentences(s.text)) add(q, s.id);
    }
  }
  return out;
}

/** SHA-256 over every input of the model: training files, content, and the code that learns. */
export function inputsHash(): string {
  const hash = createHash('sha256');
  const content = defaultContentDir();
  const files = [
    ...trainingFiles(),
    ...['zh', 'en'].flatMap((lang) =>
      readdirSync(join(content, lang))
        .filter((f) => f.endsWith('.md'))
        .sort()
        .map((f) => join(content, lang, f)),
    ),
    join(content, 'concepts.yaml'),
    join(ROOT, 'src', 'knowledge', 'features.ts'),
    join(ROOT, 'src', 'knowledge', 'text.ts'),
    join(ROOT, 'src', 'knowledge', 'concepts.ts'),
    join(ROOT, 'scripts', 'routing', 'data.ts'),
    join(ROOT, 'scripts', 'routing', 'logreg.ts'),
    join(ROOT, 'scripts', 'routing', 'pipeline.ts'),
  ];
  for (const f of files) {
    hash.update(f.slice(ROOT.length));
    hash.update('\0');
    hash.update(readFileSync(f, 'utf8').replace(/\r\n/g, '\n'));
    hash.update('\0');
  }
  return hash.digest('hex');
}

/** The set of character bigrams of a folded text (spaces and punctuation dropped). */
export function charBigrams(text: string): Set<string> {
  const chars = Array.from(normalize(text).replace(/[^\p{L}\p{N}]+/gu, ''));
  const out = new Set<string>();
  for (let i = 0; i + 1 < chars.length; i++) out.add(chars[i]! + chars[i + 1]!);
  return out;
}

export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let inter = 0;
  for (const x of a) if (b.has(x)) inter++;
  return inter / (a.size + b.size - inter);
}

/** Training lines whose character-bigram Jaccard similarity with some held-out line is ≥ `limit`. */
export function leaks(
  train: readonly { q: string }[],
  heldOut: readonly { q: string }[],
  limit = 0.65,
): { train: string; heldOut: string; similarity: number }[] {
  const held = heldOut.map((h) => ({ q: h.q, grams: charBigrams(h.q) }));
  const out: { train: string; heldOut: string; similarity: number }[] = [];
  const folded = (q: string) => normalize(q).replace(/\s+/g, '');
  for (const t of train) {
    const grams = charBigrams(t.q);
    for (const h of held) {
      // lines without two letters in a row (👍, "?") leak only when they are the same line
      if ((grams.size === 0 || h.grams.size === 0) && folded(t.q) === folded(h.q)) {
        out.push({ train: t.q, heldOut: h.q, similarity: 1 });
        continue;
      }
      // Jaccard ≥ limit needs sizes within that ratio of each other
      const small = Math.min(grams.size, h.grams.size);
      const large = Math.max(grams.size, h.grams.size);
      if (small < limit * large) continue;
      const similarity = jaccard(grams, h.grams);
      if (similarity >= limit) out.push({ train: t.q, heldOut: h.q, similarity });
    }
  }
  return out;
}

/** Every training line: the writers' files in name order, then the knowledge base's lines. */
export function loadTrainingSet(kb: KnowledgeBase): TrainLine[] {
  return [...trainingFiles().flatMap((f) => parseTrainingFile(f, kb)), ...knowledgeLines(kb)];
}
