import { getTokenizer, type Tokenizer } from '../tokens/registry.js';
import { ChunkEngine, type RawChunk } from './engine.js';
import { CharMeter, type Meter, TokenMeter } from './meter.js';
import {
  type ChunkOptions,
  type ChunkOptionsResult,
  type ResolvedChunkOptions,
  validateChunkOptions,
} from './options.js';
import { type BoundaryName, LEVEL_NAMES } from './text.js';

/** One chunk: `text === input.slice(start, end)`; `size` in the requested unit. */
export interface Chunk {
  text: string;
  start: number;
  end: number;
  size: number;
  /**
   * Set when `size` is over the requested size: the chunk is one grapheme cluster longer than
   * a chunk (e.g. a letter with thousands of combining marks), which is never cut.
   */
  oversized?: true;
}

/** A chunk of `text` from the engine's raw chunk (marked when it is over `size`). */
export function chunkOf(text: string, raw: RawChunk, size: number, base = 0): Chunk {
  const chunk: Chunk = {
    text: text.slice(raw.start, raw.end),
    start: base + raw.start,
    end: base + raw.end,
    size: raw.size,
  };
  if (raw.size > size) chunk.oversized = true;
  return chunk;
}

/** A chunk with the reason its ends fell where they did (for `/chunk explain=true`). */
export interface ExplainedChunk extends Chunk {
  /** Boundary the chunk ends at (`end` = end of the text). */
  endsAt: BoundaryName | 'end';
  /** Boundary its overlap starts at (`none` = first chunk or no overlap). */
  overlapStartsAt: BoundaryName | 'none';
  /** Units shared with the previous chunk. */
  overlap: number;
}

/** Validated options or a RangeError with the same message the commands show. */
export function resolveOptions(options: ChunkOptions): ResolvedChunkOptions {
  const r: ChunkOptionsResult = validateChunkOptions(options);
  if (!r.ok) throw new RangeError(r.error.en);
  return r.options;
}

export function createMeter(options: ResolvedChunkOptions, tokenizer?: Tokenizer): Meter {
  return options.unit === 'tokens'
    ? new TokenMeter(tokenizer ?? getTokenizer(options.tokenizer), options.size)
    : new CharMeter();
}

export function explainRaw(
  text: string,
  raw: RawChunk,
  prevEnd: number,
  meter: Meter,
  size: number,
): ExplainedChunk {
  const overlap = raw.start < prevEnd ? meter.measure(raw.start, prevEnd) : 0;
  return {
    ...chunkOf(text, raw, size),
    endsAt: raw.endLevel === -1 ? 'end' : LEVEL_NAMES[raw.endLevel],
    overlapStartsAt: raw.startLevel === -1 ? 'none' : LEVEL_NAMES[raw.startLevel],
    overlap,
  };
}

function* rawChunks(
  text: string,
  options: ResolvedChunkOptions,
  meter: Meter,
): Generator<RawChunk> {
  const engine = new ChunkEngine(meter, options.size, options.overlap);
  engine.setText(text, true);
  for (let c = engine.next(); c; c = engine.next()) yield c;
}

/**
 * Split `text` into chunks of at most `size` units with up to `overlap` units repeated, cutting
 * at the highest structure that fits: paragraphs, lines, sentences (。！？；…… . ! ?), clauses,
 * words, then grapheme clusters. Chunks are in order and cover the text exactly. A grapheme
 * cluster is never cut: one longer than `size` becomes a chunk of its own, marked `oversized`.
 * Throws a RangeError for invalid options (`overlap >= size`, `size < 1`, unknown tokenizer).
 *
 * @example
 * splitText('第一句。第二句。', { size: 4 })
 * // → [{ text: '第一句。', start: 0, end: 4, size: 4 }, { text: '第二句。', start: 4, end: 8, size: 4 }]
 */
export function splitText(text: string, options: ChunkOptions): Chunk[] {
  const resolved = resolveOptions(options);
  const engine = new ChunkEngine(createMeter(resolved), resolved.size, resolved.overlap);
  engine.setText(text, true);
  const out: Chunk[] = [];
  for (let c = engine.next(); c; c = engine.next()) out.push(chunkOf(text, c, resolved.size));
  return out;
}

/**
 * `splitText` in tokens with a tokenizer object instead of a name (for benchmarks: e.g.
 * gpt-tokenizer's own encoder from `getReferenceTokenizer`).
 */
export function splitTextWithTokenizer(
  text: string,
  options: Omit<ChunkOptions, 'unit' | 'tokenizer'>,
  tokenizer: Tokenizer,
): Chunk[] {
  const resolved = resolveOptions({ ...options, unit: 'tokens' });
  const out: Chunk[] = [];
  for (const c of rawChunks(text, resolved, createMeter(resolved, tokenizer))) {
    out.push(chunkOf(text, c, resolved.size));
  }
  return out;
}

/** Like `splitText`, with each chunk's boundary kinds and overlap size. */
export function splitTextExplained(text: string, options: ChunkOptions): ExplainedChunk[] {
  const resolved = resolveOptions(options);
  const meter = createMeter(resolved);
  const out: ExplainedChunk[] = [];
  let prevEnd = 0;
  for (const c of rawChunks(text, resolved, meter)) {
    out.push(explainRaw(text, c, prevEnd, meter, resolved.size));
    prevEnd = c.end;
  }
  return out;
}
