import { z } from 'zod';

const WORDS: Readonly<Record<string, boolean>> = {
  true: true,
  yes: true,
  on: true,
  '1': true,
  false: false,
  no: false,
  off: false,
  '0': false,
};

/** A boolean option that also accepts the words people type: true/false, yes/no, on/off, 1/0. */
export function flag(error?: () => string) {
  return z.preprocess(
    (v) => (typeof v === 'string' ? (WORDS[v.trim().toLowerCase()] ?? v) : v),
    error ? z.boolean({ error }) : z.boolean(),
  );
}
