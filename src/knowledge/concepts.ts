/**
 * The concept lexicon (content/concepts.yaml): groups of words and phrases that mean one
 * thing in this domain. A message is cut into tokens (each Han character, each stemmed
 * Latin word); a phrase matches a run of whole tokens, so "tuned" finds "fine tune" and "ci"
 * is never found inside "circle". Matching walks a trie from every token: linear in the
 * message for a bounded phrase length.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { defaultContentDir, KnowledgeError } from './load.js';
import { normalize, stem } from './text.js';

const TOKEN = /\p{Script=Han}|(?:(?!\p{Script=Han})[\p{L}\p{N}])+/gu;

/** A message's tokens: single Han characters and stemmed, case-folded Latin words. */
export function conceptTokens(text: string): string[] {
  const out: string[] = [];
  for (const m of normalize(text).matchAll(TOKEN)) {
    const token = m[0];
    out.push(token.length > 1 ? stem(token) : token);
  }
  return out;
}

interface TrieNode {
  next: Map<string, TrieNode>;
  concept?: string;
}

const lexiconSchema = z.strictObject({
  concepts: z.record(
    z.string().regex(/^[a-z0-9-]+$/, 'concept ids are lower-case words joined by "-"'),
    z.array(z.union([z.string().trim().min(1), z.number().transform(String)])).min(1),
  ),
});

export class ConceptLexicon {
  private readonly root: TrieNode = { next: new Map() };
  readonly ids: readonly string[];

  constructor(groups: Readonly<Record<string, readonly string[]>>) {
    this.ids = Object.keys(groups);
    for (const [id, phrases] of Object.entries(groups)) {
      for (const phrase of phrases) {
        const tokens = conceptTokens(phrase);
        if (tokens.length === 0) continue;
        let node = this.root;
        for (const token of tokens) {
          let child = node.next.get(token);
          if (!child) {
            child = { next: new Map() };
            node.next.set(token, child);
          }
          node = child;
        }
        // the first group that lists a phrase owns it
        node.concept ??= id;
      }
    }
  }

  /** The concepts found in a message, each once, in order of first appearance. */
  match(text: string): string[] {
    return this.matchTokens(conceptTokens(text));
  }

  matchTokens(tokens: readonly string[]): string[] {
    const found = new Set<string>();
    for (let i = 0; i < tokens.length; i++) {
      let node: TrieNode | undefined = this.root;
      for (let j = i; j < tokens.length; j++) {
        node = node.next.get(tokens[j]!);
        if (!node) break;
        if (node.concept) found.add(node.concept);
      }
    }
    return [...found];
  }
}

/** Parse and validate the lexicon's YAML; `file` names it in errors. */
export function parseConcepts(source: string, file: string): ConceptLexicon {
  let raw: unknown;
  try {
    raw = parseYaml(source);
  } catch (err) {
    throw new KnowledgeError(file, 'concepts', `invalid YAML: ${(err as Error).message}`);
  }
  const parsed = lexiconSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new KnowledgeError(file, issue.path.map(String).join('.') || 'concepts', issue.message);
  }
  return new ConceptLexicon(parsed.data.concepts);
}

export const CONCEPTS_FILE = 'concepts.yaml';

let cached: ConceptLexicon | undefined;

/** The bundled lexicon, loaded once. */
export function conceptLexicon(): ConceptLexicon {
  cached ??= parseConcepts(
    readFileSync(join(defaultContentDir(), CONCEPTS_FILE), 'utf8'),
    `content/${CONCEPTS_FILE}`,
  );
  return cached;
}
