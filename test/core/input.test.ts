/** One size limit and one UTF-8 decoding for text that comes in as a file or a paste. */
import { describe, expect, it } from 'vitest';
import { decodeText, MAX_FILE_BYTES } from '../../src/core/input.js';

describe('decodeText', () => {
  it('decodes UTF-8 and drops a BOM', () => {
    expect(decodeText(Buffer.from('\uFEFF显存 ok'))).toBe('显存 ok');
  });
  it('refuses invalid UTF-8 and text with NUL characters', () => {
    expect(decodeText(Buffer.from([0xff, 0xfe, 0x41]))).toBeUndefined();
    expect(decodeText(Buffer.from('a\u0000b'))).toBeUndefined();
  });
});

describe('MAX_FILE_BYTES', () => {
  it('is 2 MiB, the limit the README and every platform state', () => {
    expect(MAX_FILE_BYTES).toBe(2_097_152);
  });
});
