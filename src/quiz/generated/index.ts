/**
 * Calculation questions generated from the calculators (/vram, /tokens, /chunk). A generated
 * question's id is `gen:<generator>:<params>`: the id alone rebuilds the same question (same
 * numbers, same option order), so the store, /review and re-grading need nothing else.
 */
import type { BankQuestion, QuestionGenerator } from '../bank.js';
import { GENERATED_PREFIX } from './common.js';
import { chunkPack, tokensChunking, tokensContext } from './text.js';
import { VRAM_GENERATORS } from './vram.js';

export { GENERATED_PREFIX, seededRandom } from './common.js';
export { PARAGRAPHS } from './paragraphs.js';
export { paragraphsPerChunk } from './text.js';

/** Every bundled generator. */
export const GENERATORS: readonly QuestionGenerator[] = [
  ...VRAM_GENERATORS,
  tokensContext,
  tokensChunking,
  chunkPack,
];

export function isGeneratedId(id: string): boolean {
  return id.startsWith(GENERATED_PREFIX);
}

/** Questions built most recently, kept so a running quiz does not rebuild them per answer. */
const CACHE_SIZE = 256;

/** Resolves generated ids with these generators, remembering the last questions built. */
export function generatedResolver(generators: readonly QuestionGenerator[]) {
  const byName = new Map(generators.map((g) => [g.name, g]));
  const cache = new Map<string, BankQuestion | undefined>();
  return {
    get(id: string): BankQuestion | undefined {
      if (!isGeneratedId(id)) return undefined;
      if (cache.has(id)) return cache.get(id);
      const rest = id.slice(GENERATED_PREFIX.length);
      const colon = rest.indexOf(':');
      const generator = colon > 0 ? byName.get(rest.slice(0, colon)) : undefined;
      const question = generator?.build(rest.slice(colon + 1));
      if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string);
      cache.set(id, question);
      return question;
    },
  };
}
