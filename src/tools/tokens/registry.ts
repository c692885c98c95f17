import { createRequire } from 'node:module';
import { quoteValue } from '../shared/quote.js';
import { BytePairEncoder, type RawRanks } from './bpe.js';

/**
 * The tokenizers llm-tutor can count with. All ship their vocabularies inside their npm
 * packages (gpt-tokenizer, llama-tokenizer-js): nothing is downloaded at run time.
 * o200k and cl100k run llm-tutor's exact BPE encoder (bpe.ts) over gpt-tokenizer's vocabulary
 * and pre-tokenizer. Each is loaded on first use (o200k: ~0.2 s, ~12 MB of heap for
 * gpt-tokenizer's rank data plus ~10 MB of tables, merge cache included).
 */
export const TOKENIZER_NAMES = ['o200k', 'cl100k', 'llama2'] as const;
export type TokenizerName = (typeof TOKENIZER_NAMES)[number];
export const DEFAULT_TOKENIZER: TokenizerName = 'o200k';

export const TOKENIZER_LABELS: Record<TokenizerName, string> = {
  o200k: 'o200k_base (GPT-4o, GPT-4.1, o-series)',
  cl100k: 'cl100k_base (GPT-4, GPT-3.5)',
  llama2: 'LLaMA 1/2 SentencePiece (32k)',
};

export interface Tokenizer {
  name: TokenizerName;
  label: string;
  /** Token ids of `text` (no BOS/EOS; special-token text is treated as plain text). */
  encode(text: string): number[];
  /** Number of tokens of `text` on its own (same convention as `encode`). */
  count(text: string): number;
  /** UTF-8 length of the text a token id stands for (0 for control tokens). */
  tokenBytes(id: number): number;
  /** Bytes the tokenizer adds before the text (LLaMA's dummy-prefix space). */
  prefixBytes: number;
  /** Forget cached merges (benchmarks start cold). */
  clearCache(): void;
  /** The exact BPE encoder behind `encode`/`count`, when the tokenizer is one (o200k, cl100k). */
  bpe?: BytePairEncoder;
}

export function isTokenizerName(name: string): name is TokenizerName {
  return (TOKENIZER_NAMES as readonly string[]).includes(name);
}

const require = createRequire(import.meta.url);
const cache = new Map<TokenizerName, Tokenizer>();

/** UTF-8 byte length of a JS string (lone surrogates count as U+FFFD, 3 bytes). */
export function utf8Length(s: string): number {
  let bytes = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}

interface GptModule {
  clearMergeCache(): void;
  encode(text: string, options?: { disallowedSpecial?: Set<string> }): number[];
  countTokens(text: string, options?: { disallowedSpecial?: Set<string> }): number;
}

const GPT_FILES = { o200k: 'o200k_base', cl100k: 'cl100k_base' } as const;

function gptRanks(name: 'o200k' | 'cl100k'): RawRanks {
  const file = GPT_FILES[name];
  const ranks = (require(`gpt-tokenizer/cjs/bpeRanks/${file}`) as { default: unknown }).default;
  if (!Array.isArray(ranks)) throw new Error(`gpt-tokenizer: unexpected ${file} data`);
  return ranks as RawRanks;
}

/** Byte length of every rank, computed once (special tokens never appear: see `plain`). */
function rankLengths(ranks: RawRanks): Uint16Array {
  const lengths = new Uint16Array(ranks.length);
  for (let id = 0; id < ranks.length; id++) {
    const v = ranks[id];
    if (typeof v === 'string') lengths[id] = utf8Length(v);
    else if (Array.isArray(v)) lengths[id] = v.length;
  }
  return lengths;
}

/**
 * o200k / cl100k with llm-tutor's exact BPE encoder over gpt-tokenizer's vocabulary and
 * pre-tokenizer: the same tokens as gpt-tokenizer's `encode` (property-tested), several times
 * faster on long pieces (Chinese runs), with a bounded merge cache (about 3 MB).
 */
function loadGpt(name: 'o200k' | 'cl100k'): Tokenizer {
  const ranks = gptRanks(name);
  const constants = require('gpt-tokenizer/cjs/encodingParams/constants') as Record<
    string,
    unknown
  >;
  const pattern =
    constants[name === 'o200k' ? 'O200K_TOKEN_SPLIT_REGEX' : 'CL100K_TOKEN_SPLIT_REGEX'];
  if (!(pattern instanceof RegExp)) throw new Error('gpt-tokenizer: unexpected split pattern');
  const bpe = new BytePairEncoder(ranks, pattern);
  return {
    name,
    label: TOKENIZER_LABELS[name],
    encode: (text) => bpe.encode(text),
    count: (text) => bpe.count(text),
    tokenBytes: (id) => bpe.tokenLength(id),
    prefixBytes: 0,
    clearCache: () => bpe.clearCache(),
    bpe,
  };
}

const referenceCache = new Map<'o200k' | 'cl100k', Tokenizer>();

/**
 * gpt-tokenizer's own encoder for `o200k` / `cl100k` (the reference llm-tutor's encoder is
 * tested against, and the baseline the benchmark reports). Same tokens, slower.
 */
export function getReferenceTokenizer(name: 'o200k' | 'cl100k'): Tokenizer {
  let t = referenceCache.get(name);
  if (t) return t;
  const api = require(`gpt-tokenizer/cjs/encoding/${GPT_FILES[name]}`) as GptModule;
  const lengths = rankLengths(gptRanks(name));
  const plain = { disallowedSpecial: new Set<string>() };
  t = {
    name,
    label: `${TOKENIZER_LABELS[name]} [gpt-tokenizer]`,
    encode: (text) => api.encode(text, plain),
    count: (text) => (text.length === 0 ? 0 : api.countTokens(text, plain)),
    tokenBytes: (id) => lengths[id] ?? 0,
    prefixBytes: 0,
    clearCache: () => api.clearMergeCache(),
  };
  referenceCache.set(name, t);
  return t;
}

interface LlamaModule {
  default: {
    vocabById: string[];
    encode(text: string, addBos?: boolean, addPrecedingSpace?: boolean): number[] | undefined;
  };
}

function loadLlama(): Tokenizer {
  const llama = (require('llama-tokenizer-js') as LlamaModule).default;
  const vocab = llama.vocabById;
  const lengths = new Uint16Array(vocab.length);
  for (let id = 0; id < vocab.length; id++) {
    const v = vocab[id] ?? '';
    if (id < 3)
      lengths[id] = 0; // <unk> <s> </s>
    else if (id < 259 && /^<0x[0-9A-F]{2}>$/.test(v)) lengths[id] = 1;
    else lengths[id] = utf8Length(v.replaceAll('\u2581', ' '));
  }
  const encode = (text: string): number[] =>
    text.length === 0 ? [] : (llama.encode(text, false, true) ?? []);
  return {
    name: 'llama2',
    label: TOKENIZER_LABELS.llama2,
    encode,
    count: (text) => encode(text).length,
    tokenBytes: (id) => lengths[id] ?? 0,
    prefixBytes: 1,
    clearCache: () => {},
  };
}

/**
 * The tokenizer called `name` (`o200k`, `cl100k`, `llama2`); throws a RangeError naming the
 * accepted names for anything else.
 */
export function getTokenizer(name: string = DEFAULT_TOKENIZER): Tokenizer {
  if (!isTokenizerName(name)) {
    throw new RangeError(
      `unknown tokenizer ${quoteValue(name)}: use one of ${TOKENIZER_NAMES.join(', ')} (default ${DEFAULT_TOKENIZER})`,
    );
  }
  let t = cache.get(name);
  if (!t) {
    t = name === 'llama2' ? loadLlama() : loadGpt(name);
    cache.set(name, t);
  }
  return t;
}

/** Number of tokens of `text` under the named tokenizer. */
export function countTokens(text: string, name: string = DEFAULT_TOKENIZER): number {
  return getTokenizer(name).count(text);
}
