import { describe, expect, it } from 'vitest';
import {
  type ChooseInput,
  choose,
  RULES,
  type RuleId,
  servingCost,
  type Verdict,
} from '../../../src/tools/choose/index.js';

const base: ChooseInput = {
  task: 'classification',
  labels: 0,
  labelsChange: false,
  volumePerDay: 1000,
  inputTokens: 200,
  hardware: 'A10-24GB',
  language: 'en',
};

/** Realistic questions people bring to a team chat, with the answer the rule table must give. */
const CASES: [string, Partial<ChooseInput>, Verdict, RuleId[]][] = [
  [
    '20k support tickets a day on CPU, no labels (the issue’s example)',
    { volumePerDay: 20_000, hardware: 'cpu', language: 'zh' },
    'prompt-then-distil',
    ['distil', 'cpu-only', 'baseline'],
  ],
  [
    '20k tickets a day on CPU with 5k labelled tickets',
    { labels: 5000, volumePerDay: 20_000, hardware: 'cpu' },
    'encoder',
    ['labelled', 'cpu-only', 'baseline', 'fine-tune'],
  ],
  [
    'an intent classifier with 200 labels, 500 requests a day on an A10',
    { labels: 200, volumePerDay: 500 },
    'llm',
    ['prompt-first', 'baseline'],
  ],
  [
    '5k labels but the label set changes every sprint',
    { labels: 5000, labelsChange: true, hardware: 'A100-80GB' },
    'llm',
    ['prompt-first', 'baseline', 'fine-tune'],
  ],
  [
    'NER on contracts with 3k annotated documents',
    { task: 'ner', labels: 3000, tokens: 512 } as Partial<ChooseInput>,
    'encoder',
    ['labelled', 'token-level', 'baseline'],
  ],
  [
    'tagging 10M tickets a day, no labels, on H100s',
    { task: 'ner', volumePerDay: 10_000_000, hardware: 'H100-80GB' },
    'prompt-then-distil',
    ['distil', 'token-level', 'volume'],
  ],
  [
    'embeddings for a RAG pipeline',
    { task: 'retrieval', volumePerDay: 100_000 },
    'rag',
    ['embeddings'],
  ],
  ['summarizing meeting notes', { task: 'summarization', inputTokens: 3000 }, 'llm', ['generate']],
  [
    'a support chat assistant, CPU only',
    { task: 'chat', hardware: 'cpu' },
    'llm',
    ['generate', 'cpu-only'],
  ],
  ['open QA over docs on a T4', { task: 'qa', hardware: 'T4-16GB' }, 'llm', ['generate']],
  [
    'extracting fields from invoices with a 100 ms budget, no labels',
    { task: 'extraction', latencyMs: 100 },
    'prompt-then-distil',
    ['distil', 'token-level', 'latency'],
  ],
  [
    'sentiment on 100k reviews a day with 800 labels',
    { volumePerDay: 100_000, labels: 800, hardware: 'H100-80GB' },
    'prompt-then-distil',
    ['distil', 'volume', 'baseline'],
  ],
  [
    'Chinese news classification with 2k labels',
    { labels: 2000, language: 'zh' },
    'encoder',
    ['labelled', 'baseline'],
  ],
  [
    'summarizing 30k-token reports on a T4',
    { task: 'summarization', inputTokens: 30_000, hardware: 'T4-16GB' },
    'llm',
    ['generate', 'memory'],
  ],
  [
    'marketing copy generation at 1M a day',
    { task: 'generation', volumePerDay: 1_000_000, hardware: 'H100-80GB' },
    'llm',
    ['generate', 'volume'],
  ],
];

describe('/choose rule table: realistic cases', () => {
  it.each(CASES)('%s', (_, input, verdict, rules) => {
    const r = choose({ ...base, ...input });
    expect(r.verdict).toBe(verdict);
    for (const id of rules) expect(r.rules).toContain(id);
    expect(r.rules[0]).toBe(rules[0]);
  });

  it('has at least 12 cases, and every rule of the table fires in one of them', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(12);
    const fired = new Set(CASES.flatMap(([, input]) => choose({ ...base, ...input }).rules));
    expect([...fired].sort()).toEqual(RULES.map((r) => r.id).sort());
  });

  it('every rule cites a section of topic 2 that exists', async () => {
    const { readFileSync } = await import('node:fs');
    const content = readFileSync('src/knowledge/content/en/02-bert-vs-llm.md', 'utf8');
    for (const r of RULES) expect(content).toContain(`{#${r.section}}`);
  });
});

describe('serving cost', () => {
  it('uses the /vram inference figure and simple throughput formulas', () => {
    const c = servingCost({
      volumePerDay: 86_400,
      inputTokens: 100,
      outputTokens: 0,
      hardware: 'A100-80GB',
      model: 'mistral-7b',
    });
    expect(c.neededTokensPerS).toBe(100);
    expect(c.llm.memoryGB).toBeGreaterThan(14);
    expect(c.llm.memoryGB).toBeLessThan(16);
    expect(c.llm.fits).toBe(true);
    // prefill only: 0.4 × 312 TFLOPS / (2 × 7.24e9 FLOP) ≈ 8,600 tokens/s → ≈ 86 requests/s
    expect(c.llm.requestsPerS).toBeGreaterThan(70);
    expect(c.llm.requestsPerS).toBeLessThan(100);
    expect(c.encoder.tokensPerS).toBe(1800);
    expect(c.encoder.latencyMs).toBeCloseTo(55.6, 0);
  });

  it('an LLM on CPU takes seconds a request; the encoder does not', () => {
    const c = servingCost({
      volumePerDay: 1000,
      inputTokens: 200,
      outputTokens: 5,
      hardware: 'cpu',
      model: 'qwen2-7b',
    });
    expect(c.llm.fits).toBeNull();
    expect(c.llm.latencyMs).toBeGreaterThan(5000);
    expect(c.encoder.latencyMs).toBeLessThan(200);
  });
});
