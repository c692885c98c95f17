import { ChunkEngine } from './engine.js';
import type { ChunkOptions } from './options.js';
import { type Chunk, chunkOf, createMeter, resolveOptions } from './split.js';

/** Text kept before the previous chunk's start (for look-behind: abbreviations, runs). */
const CONTEXT = 1024;
/** Drop consumed text once this much has piled up (amortizes the copy). */
const DROP_AT = 1 << 20;

/**
 * Split a stream of text (e.g. stdin decoded as UTF-8) with a bounded buffer: yields the same
 * chunks as `splitText` on the concatenated text, with `start`/`end` indexing the whole
 * stream. The buffer holds the current chunk, a look-ahead of a few chunk lengths (chars) or
 * one tokenizer window (tokens: max(16k, 32 × size) characters) and at most 1 MiB of
 * already-emitted text. Throws a RangeError for invalid options.
 */
export async function* chunkStream(
  input: AsyncIterable<string>,
  options: ChunkOptions,
): AsyncGenerator<Chunk> {
  const resolved = resolveOptions(options);
  const meter = createMeter(resolved);
  const engine = new ChunkEngine(meter, resolved.size, resolved.overlap);
  let buffer = '';
  let base = 0; // stream index of buffer[0]
  const drain = function* (final: boolean): Generator<Chunk> {
    engine.setText(buffer, final);
    for (let c = engine.next(); c; c = engine.next()) yield chunkOf(buffer, c, resolved.size, base);
    const drop = engine.consumedUpTo - CONTEXT;
    if (!final && drop >= DROP_AT) {
      buffer = buffer.slice(drop);
      base += drop;
      engine.rebase(buffer, drop);
    }
  };
  for await (const piece of input) {
    if (piece.length === 0) continue;
    buffer += piece;
    yield* drain(false);
  }
  yield* drain(true);
}
