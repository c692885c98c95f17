/**
 * Loads the knowledge base from its Markdown content files and validates it with zod.
 *
 * One file per topic and language: `content/<lang>/<NN>-<slug>.md`, YAML front matter
 * (topic, lang, slug, title, short, keywords, examples, section_keywords, sources) followed
 * by sections written as `## Heading {#tN.id}`. `sources` lists the 3–6 references (papers
 * with year and arXiv id, official docs) that the topic's claims and numbers rest on. A broken file fails loudly with the file
 * and the field named.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { Lang } from './text.js';
import { parseYaml } from './yaml.js';

export const TOPIC_COUNT = 10;
/** Each topic cites at least this many and at most MAX_SOURCES references. */
export const MIN_SOURCES = 3;
export const MAX_SOURCES = 6;

export interface Section {
  id: string;
  heading: string;
  text: string;
  keywords: string[];
}

export interface TopicDoc {
  topic: number;
  lang: Lang;
  slug: string;
  title: string;
  short: string;
  keywords: string[];
  examples: string[];
  sections: Section[];
  /** References a reader can look up, shown at the end of the whole topic. */
  sources: string[];
  file: string;
}

export interface Topic {
  id: number;
  slug: string;
  docs: Record<Lang, TopicDoc>;
}

export interface KnowledgeBase {
  topics: Topic[];
}

export class KnowledgeError extends Error {
  constructor(
    readonly file: string,
    readonly field: string,
    detail: string,
  ) {
    super(`${file}: ${field}: ${detail}`);
    this.name = 'KnowledgeError';
  }
}

const text = z.string().trim().min(1, 'must not be empty');

const frontMatterSchema = z.strictObject({
  topic: z.number().int().min(1).max(TOPIC_COUNT),
  lang: z.enum(['zh', 'en']),
  slug: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be lower-case words joined by "-"'),
  title: text,
  short: text,
  keywords: z.array(z.union([text, z.number().transform(String)])).min(8),
  examples: z.array(text).min(8, 'needs at least 8 example questions'),
  section_keywords: z.record(z.string(), z.array(z.union([text, z.number().transform(String)]))),
  sources: z
    .array(text)
    .min(MIN_SOURCES, `needs at least ${MIN_SOURCES} sources`)
    .max(MAX_SOURCES, `at most ${MAX_SOURCES} sources`),
});

const SECTION_HEADING = /^##[ \t]+(.+?)[ \t]*\{#(t\d+\.[a-z0-9-]+)\}[ \t]*$/gm;

/** The content folder, found from this module's location in both src/ and dist/. */
export function defaultContentDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const candidate = join(dir, 'src', 'knowledge', 'content');
    if (existsSync(join(dir, 'package.json')) && existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  return join(dirname(fileURLToPath(import.meta.url)), 'content');
}

function fieldPath(path: readonly PropertyKey[]): string {
  return path.length === 0 ? '(front matter)' : path.map(String).join('.');
}

/** Parse one content file's text; `file` is used in error messages only. */
export function parseTopicFile(source: string, file: string): TopicDoc {
  const normalized = source.replace(/\r\n?/g, '\n').replace(/^\uFEFF/, '');
  const fm = /^---\n([\s\S]*?)\n---\n/.exec(normalized);
  if (!fm) throw new KnowledgeError(file, 'front matter', 'the file must start with a --- block');
  let raw: unknown;
  try {
    raw = parseYaml(fm[1]!);
  } catch (err) {
    throw new KnowledgeError(file, 'front matter', `invalid YAML: ${(err as Error).message}`);
  }
  const parsed = frontMatterSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new KnowledgeError(file, fieldPath(issue.path), issue.message);
  }
  const meta = parsed.data;
  const body = normalized.slice(fm[0].length);
  const headings = [...body.matchAll(SECTION_HEADING)];
  if (headings.length === 0) {
    throw new KnowledgeError(file, 'sections', 'no "## Heading {#tN.id}" section found');
  }
  const sections: Section[] = headings.map((h, i) => {
    const id = h[2]!;
    if (!id.startsWith(`t${meta.topic}.`)) {
      throw new KnowledgeError(file, `section ${id}`, `id must start with "t${meta.topic}."`);
    }
    const start = h.index + h[0].length;
    const end = headings[i + 1]?.index ?? body.length;
    const sectionText = body.slice(start, end).trim();
    if (!sectionText) throw new KnowledgeError(file, `section ${id}`, 'text is empty');
    return { id, heading: h[1]!, text: sectionText, keywords: meta.section_keywords[id] ?? [] };
  });
  const ids = new Set<string>();
  for (const s of sections) {
    if (ids.has(s.id)) throw new KnowledgeError(file, `section ${s.id}`, 'duplicate id');
    ids.add(s.id);
  }
  for (const id of Object.keys(meta.section_keywords)) {
    if (!ids.has(id)) throw new KnowledgeError(file, `section_keywords.${id}`, 'no such section');
  }
  return {
    topic: meta.topic,
    lang: meta.lang,
    slug: meta.slug,
    title: meta.title,
    short: meta.short,
    keywords: meta.keywords,
    examples: meta.examples,
    sections,
    sources: meta.sources,
    file,
  };
}

/** Check a set of parsed docs: every topic in both languages, sections identical across them. */
export function assembleKnowledge(docs: TopicDoc[]): KnowledgeBase {
  const topics: Topic[] = [];
  for (let id = 1; id <= TOPIC_COUNT; id++) {
    const zh = docs.filter((d) => d.topic === id && d.lang === 'zh');
    const en = docs.filter((d) => d.topic === id && d.lang === 'en');
    for (const [lang, list] of [
      ['zh', zh],
      ['en', en],
    ] as const) {
      if (list.length === 0) throw new KnowledgeError(`content/${lang}`, `topic ${id}`, 'missing');
      if (list.length > 1) {
        throw new KnowledgeError(list[1]!.file, 'topic', `topic ${id} (${lang}) defined twice`);
      }
    }
    const zhDoc = zh[0]!;
    const enDoc = en[0]!;
    const zhIds = zhDoc.sections.map((s) => s.id).join(', ');
    const enIds = enDoc.sections.map((s) => s.id).join(', ');
    if (zhIds !== enIds) {
      throw new KnowledgeError(
        enDoc.file,
        'sections',
        `section ids differ from ${zhDoc.file}: [${enIds}] vs [${zhIds}]`,
      );
    }
    if (zhDoc.sources.length !== enDoc.sources.length) {
      throw new KnowledgeError(
        enDoc.file,
        'sources',
        `${enDoc.sources.length} sources, but ${zhDoc.file} has ${zhDoc.sources.length}`,
      );
    }
    if (zhDoc.slug !== enDoc.slug) {
      throw new KnowledgeError(enDoc.file, 'slug', `differs from ${zhDoc.file}`);
    }
    topics.push({ id, slug: zhDoc.slug, docs: { zh: zhDoc, en: enDoc } });
  }
  return { topics };
}

/** Read and validate every content file under `dir`. Throws `KnowledgeError` on any problem. */
export function loadKnowledge(dir: string = defaultContentDir()): KnowledgeBase {
  const docs: TopicDoc[] = [];
  for (const lang of ['zh', 'en'] as const) {
    const langDir = join(dir, lang);
    if (!existsSync(langDir)) throw new KnowledgeError(langDir, 'folder', 'missing');
    for (const name of readdirSync(langDir).sort()) {
      if (!name.endsWith('.md')) continue;
      const path = join(langDir, name);
      const file = relative(dirname(dir), path);
      const doc = parseTopicFile(readFileSync(path, 'utf8'), file);
      if (doc.lang !== lang)
        throw new KnowledgeError(file, 'lang', `must be "${lang}" in ${lang}/`);
      const prefix = `${String(doc.topic).padStart(2, '0')}-`;
      if (!name.startsWith(prefix)) {
        throw new KnowledgeError(file, 'topic', `file name must start with "${prefix}"`);
      }
      docs.push(doc);
    }
  }
  return assembleKnowledge(docs);
}

let cached: KnowledgeBase | undefined;

/** The bundled knowledge base, loaded once. */
export function knowledgeBase(): KnowledgeBase {
  cached ??= loadKnowledge();
  return cached;
}
