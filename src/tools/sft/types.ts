import type { TokenizerName } from '../tokens/index.js';
import type { TemplateName } from './checks.js';
import type { SftFormat } from './formats.js';

/** One reported problem, at the line its record starts on. */
export interface Issue {
  line: number;
  en: string;
  zh: string;
}

/** At most `SHOWN_ISSUES` examples and the full count. */
export interface IssueList {
  count: number;
  shown: Issue[];
}

export const SHOWN_ISSUES = 20;
export const SHOWN_PAIRS = 5;

export interface Quantiles {
  min: number;
  median: number;
  p95: number;
  max: number;
}

export interface SftOptions {
  /** The record format; detected from the first record that fits one when absent. */
  format?: SftFormat | undefined;
  tokenizer: TokenizerName;
  /** Longest example (prompt + response tokens) the training run will accept. */
  maxLen: number;
  /** Only look for this chat template's markup (default: every known template). */
  template?: TemplateName | undefined;
  /** A top-level field whose value the split keeps in proportion (e.g. `category`). */
  stratify?: string | undefined;
  /** Size of the whole input in bytes, when known: sets the share of records tokenized. */
  expectedBytes?: number | undefined;
  /** Text (UTF-8 bytes) tokenized at most, spread evenly over the file (default 1 MB). */
  tokenBudgetBytes?: number | undefined;
}

export interface DuplicatePair {
  line: number;
  /** The earlier record it repeats. */
  of: number;
  /** Estimated Jaccard similarity (1 for exact duplicates). */
  similarity: number;
}

export interface SftReport {
  layout: 'jsonl' | 'json' | 'empty';
  format: SftFormat | null;
  formatDetected: boolean;
  records: { total: number; valid: number; malformed: number };
  turns: { total: number; max: number };
  malformed: IssueList;
  emptyResponses: IssueList;
  repeatsPrompt: IssueList;
  template: IssueList;
  duplicates: {
    exact: { count: number; pairs: DuplicatePair[] };
    near: { count: number; clusters: number; pairs: DuplicatePair[] };
    method: { shingle: number; bins: number; bands: number; rows: number; threshold: number };
  };
  languages: { zh: number; en: number; mixed: number; other: number };
  tokens: {
    tokenizer: TokenizerName;
    maxLen: number;
    /** Records tokenized, and whether that was every valid record. */
    counted: number;
    all: boolean;
    prompt: Quantiles;
    response: Quantiles;
    overMaxLen: { count: number; estimated: boolean };
  };
  stratify?: { field: string; values: number; tooMany: boolean };
}
