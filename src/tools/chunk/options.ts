import { z } from 'zod';
import { quoteValue } from '../shared/quote.js';
import { DEFAULT_TOKENIZER, TOKENIZER_NAMES, type TokenizerName } from '../tokens/registry.js';

export const CHUNK_UNITS = ['chars', 'tokens'] as const;
export type ChunkUnit = (typeof CHUNK_UNITS)[number];
/** Largest `size` accepted (units). */
export const MAX_CHUNK_SIZE = 1_000_000;

/** Options of `splitText` / `chunkStream` as a library user passes them. */
export interface ChunkOptions {
  /** Largest chunk, in `unit`s (code points or tokens). */
  size: number;
  /** Units of the previous chunk's end repeated at the start of the next; `< size`. Default 0. */
  overlap?: number;
  /** `chars` (Unicode code points, default) or `tokens`. */
  unit?: ChunkUnit;
  /** Tokenizer for `unit: 'tokens'`: `o200k` (default), `cl100k`, `llama2`. */
  tokenizer?: string;
}

export interface ResolvedChunkOptions {
  size: number;
  overlap: number;
  unit: ChunkUnit;
  tokenizer: TokenizerName;
}

/** The zod schema of the options (types and ranges; `overlap < size` is checked too). */
export const chunkOptionsSchema = z
  .object({
    size: z
      .number()
      .int()
      .min(1)
      .max(MAX_CHUNK_SIZE)
      .describe('largest chunk, in units (code points or tokens)'),
    overlap: z.number().int().min(0).default(0).describe('units repeated from the previous chunk'),
    unit: z.enum(CHUNK_UNITS).default('chars').describe('chars (code points) or tokens'),
    tokenizer: z.enum(TOKENIZER_NAMES).default(DEFAULT_TOKENIZER).describe('tokenizer for tokens'),
  })
  .refine((o) => o.overlap < o.size, { path: ['overlap'], message: 'overlap must be < size' });

/** A user error in the options: which option, and a message in English and Chinese. */
export interface ChunkOptionError {
  option: 'size' | 'overlap' | 'unit' | 'tokenizer';
  en: string;
  zh: string;
}

export type ChunkOptionsResult =
  | { ok: true; options: ResolvedChunkOptions }
  | { ok: false; error: ChunkOptionError };

function isInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v);
}

/**
 * Validate options without throwing (for commands): returns the resolved options, or the
 * first problem with a clear message naming the option and the accepted range.
 */
export function validateChunkOptions(input: ChunkOptions): ChunkOptionsResult {
  const { size } = input;
  if (!isInt(size) || size < 1 || size > MAX_CHUNK_SIZE) {
    return {
      ok: false,
      error: {
        option: 'size',
        en: `size must be a whole number from 1 to ${MAX_CHUNK_SIZE} (got ${quoteValue(size)})`,
        zh: `size 必须是 1 到 ${MAX_CHUNK_SIZE} 之间的整数（收到 ${quoteValue(size, 'zh')}）`,
      },
    };
  }
  const overlap = input.overlap ?? 0;
  if (!isInt(overlap) || overlap < 0 || overlap >= size) {
    return {
      ok: false,
      error: {
        option: 'overlap',
        en: `overlap must be a whole number from 0 to ${size - 1}, smaller than size=${size} (got ${quoteValue(overlap)})`,
        zh: `overlap 必须是 0 到 ${size - 1} 之间的整数，且小于 size=${size}（收到 ${quoteValue(overlap, 'zh')}）`,
      },
    };
  }
  const unit = input.unit ?? 'chars';
  if (!(CHUNK_UNITS as readonly string[]).includes(unit)) {
    return {
      ok: false,
      error: {
        option: 'unit',
        en: `unit must be chars or tokens (got ${quoteValue(unit)})`,
        zh: `unit 只能是 chars 或 tokens（收到 ${quoteValue(unit, 'zh')}）`,
      },
    };
  }
  const tokenizer = input.tokenizer ?? DEFAULT_TOKENIZER;
  if (!(TOKENIZER_NAMES as readonly string[]).includes(tokenizer)) {
    return {
      ok: false,
      error: {
        option: 'tokenizer',
        en: `unknown tokenizer ${quoteValue(tokenizer)}: use one of ${TOKENIZER_NAMES.join(', ')}`,
        zh: `未知的分词器 ${quoteValue(tokenizer, 'zh')}：可选 ${TOKENIZER_NAMES.join('、')}`,
      },
    };
  }
  return {
    ok: true,
    options: { size, overlap, unit: unit as ChunkUnit, tokenizer: tokenizer as TokenizerName },
  };
}
