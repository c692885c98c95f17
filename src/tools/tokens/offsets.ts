import type { Tokenizer } from './registry.js';
import { ScanResult } from './scan.js';

/**
 * Where the tokens of a text end, as string indices. `pos[j]` is a cut (0 = start of the text,
 * increasing) and `cum[j]` the number of tokens that end at or before it. Token ends that fall
 * inside a character (a byte-level token splitting a Chinese character or an emoji) are not
 * cuts: their tokens are counted at the next cut.
 */
export interface TokenCuts {
  pos: Int32Array;
  cum: Int32Array;
  /** Number of valid entries in `pos`/`cum` (the last one is `text.length`). */
  length: number;
  /** Total tokens of the text. */
  tokens: number;
}

/** Tokenizes `text` once and maps every token end to a string index. */
export function tokenCuts(text: string, tokenizer: Tokenizer): TokenCuts {
  if (tokenizer.bpe) {
    const scan = new ScanResult();
    tokenizer.bpe.scan(text, 0, text.length, scan);
    // Every piece ends on a cut, so the last cut is the end of the text.
    const k = scan.cuts;
    return {
      pos: scan.cutPos.slice(0, k),
      cum: scan.cutCum.slice(0, k),
      length: k,
      tokens: scan.tokens,
    };
  }
  const ids = tokenizer.encode(text);
  const m = ids.length;
  const pos = new Int32Array(m + 2);
  const cum = new Int32Array(m + 2);
  let k = 1; // pos[0] = 0, cum[0] = 0
  const n = text.length;
  let i = 0; // string index
  let bytePos = -tokenizer.prefixBytes; // byte offset of string index i
  let target = bytePos;
  for (let t = 0; t < m; t++) {
    target += tokenizer.tokenBytes(ids[t] ?? 0);
    while (i < n) {
      const c = text.charCodeAt(i);
      let w: number;
      let units = 1;
      if (c < 0x80) w = 1;
      else if (c < 0x800) w = 2;
      else if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
        const d = text.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) {
          w = 4;
          units = 2;
        } else w = 3;
      } else w = 3;
      if (bytePos + w > target) break;
      bytePos += w;
      i += units;
    }
    if (bytePos === target && i > (pos[k - 1] ?? 0)) {
      pos[k] = i;
      cum[k] = t + 1;
      k++;
    }
  }
  if ((pos[k - 1] ?? 0) < n) {
    pos[k] = n;
    cum[k] = m;
    k++;
  } else if (k > 1) {
    cum[k - 1] = m;
  }
  return { pos, cum, length: k, tokens: m };
}
