/**
 * Features of a chat message for the router's classifier, the same for Chinese, English and
 * mixed text. Three blocks, each L2-normalized and weighted:
 * - `g:` character n-grams (Han 1–4, everything 2–4) of the folded text (NFKC, case, full- and
 *   half-width folded; punctuation runs become one space), robust to typos and to how a
 *   sentence is segmented;
 * - `w:`/`w2:`/`z:`/`p:` English stems and adjacent-word pairs, Chinese words from
 *   `Intl.Segmenter`, toneless pinyin of Han bigrams (homophone IME slips), from text.ts;
 * - `k:` concepts of the lexicon (concepts.ts): meaning that n-grams cannot connect.
 * Term values are sublinear counts times IDF, both learned by the trainer and shipped with
 * the model.
 */
import type { ConceptLexicon } from './concepts.js';
import { analyze, normalize } from './text.js';

export interface FeatureWeights {
  /** Weight of the character n-gram block. */
  chars: number;
  /** Weight of the word block. */
  words: number;
  /** Value of one matched concept. */
  concept: number;
}

/** A message's features before weighting: counts per feature name, by block. */
export interface RawFeatures {
  chars: Map<string, number>;
  words: Map<string, number>;
  concepts: string[];
}

const HAN = /\p{Script=Han}/u;
const NOT_WORD = /[^\p{L}\p{N}]+/gu;

function bump(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

/** Character n-grams of the folded text. */
export function charNgrams(
  text: string,
  out: Map<string, number> = new Map(),
): Map<string, number> {
  const folded = normalize(text).replace(NOT_WORD, ' ').trim();
  if (!folded) return out;
  const cps = Array.from(` ${folded} `);
  for (let i = 0; i < cps.length; i++) {
    const c = cps[i]!;
    if (HAN.test(c)) bump(out, `g:${c}`);
    let gram = c;
    for (let n = 2; n <= 4 && i + n <= cps.length; n++) {
      gram += cps[i + n - 1]!;
      bump(out, `g:${gram}`);
    }
  }
  return out;
}

const WORD_KINDS = ['w:', 'w2:', 'z:', 'p:'];

export function rawFeatures(text: string, lexicon: ConceptLexicon): RawFeatures {
  const words = new Map<string, number>();
  for (const t of analyze(text)) {
    if (WORD_KINDS.some((k) => t.term.startsWith(k))) bump(words, t.term);
  }
  return { chars: charNgrams(text), words, concepts: lexicon.match(text) };
}

/** A sparse vector: feature indexes (ascending is not required) and their values. */
export interface SparseVector {
  idx: Int32Array;
  val: Float32Array;
}

/**
 * Weight and index a message's features against a vocabulary (name → index) and its IDF.
 * Features outside the vocabulary are dropped.
 */
export function vectorize(
  raw: RawFeatures,
  vocab: ReadonlyMap<string, number>,
  idf: ArrayLike<number>,
  weights: FeatureWeights,
): SparseVector {
  const idx: number[] = [];
  const val: number[] = [];
  const block = (counts: Map<string, number>, weight: number) => {
    const start = idx.length;
    let norm = 0;
    for (const [name, count] of counts) {
      const i = vocab.get(name);
      if (i === undefined) continue;
      const v = (1 + Math.log(count)) * idf[i]!;
      idx.push(i);
      val.push(v);
      norm += v * v;
    }
    if (norm === 0) return;
    const scale = weight / Math.sqrt(norm);
    for (let j = start; j < val.length; j++) val[j]! *= scale;
  };
  block(raw.chars, weights.chars);
  block(raw.words, weights.words);
  for (const c of raw.concepts) {
    const i = vocab.get(`k:${c}`);
    if (i === undefined) continue;
    idx.push(i);
    val.push(weights.concept);
  }
  return { idx: Int32Array.from(idx), val: Float32Array.from(val) };
}
