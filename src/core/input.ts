/**
 * Text that comes in as a file or a long paste: one size limit and one UTF-8 decoding for the
 * commands that read it (/chunk, /sft) and the adapters that download attachments.
 */

/** Largest text a chat command reads from an attachment or a paste: 2 MiB. */
export const MAX_FILE_BYTES = 2 * 1024 * 1024;

/** UTF-8 text without NUL characters (a BOM dropped), or undefined for anything else. */
export function decodeText(bytes: Uint8Array): string | undefined {
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return text.includes('\u0000') ? undefined : text.replace(/^\uFEFF/, '');
  } catch {
    return undefined;
  }
}
