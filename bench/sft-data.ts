/**
 * A seeded synthetic SFT dataset for the /sft benchmark: OpenAI-chat JSONL in Chinese,
 * English and mixed, with a share of exact and near-duplicates and a few broken lines,
 * written in pieces so generating 200 MB needs little memory.
 */

import { once } from 'node:events';
import { createWriteStream } from 'node:fs';

const EN = [
  'the model',
  'fine-tuning',
  'learning rate',
  'a validation set',
  'the tokenizer',
  'gradient',
  'attention',
  'the context window',
  'LoRA adapters',
  'evaluation',
  'the dataset',
  'training loss',
  'batch size',
  'a checkpoint',
  'the prompt',
  'inference',
  'memory',
  'throughput',
  'latency',
];
const ZH = [
  '模型',
  '微调',
  '学习率',
  '验证集',
  '分词器',
  '梯度',
  '注意力',
  '上下文窗口',
  '数据集',
  '训练损失',
  '推理',
  '显存',
  '吞吐量',
  '延迟',
  '评估',
];

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let x = s;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 2 ** 32;
  };
}

function sentence(r: () => number, zh: boolean, words: number): string {
  const pool = zh ? ZH : EN;
  const parts: string[] = [];
  for (let i = 0; i < words; i++) parts.push(pool[Math.floor(r() * pool.length)] as string);
  return zh ? `${parts.join('')}。` : `${parts.join(' ')}.`;
}

/** One record line; about 1 in 50 repeats an earlier one exactly, 1 in 50 nearly. */
export function recordLine(r: () => number, i: number, previous: string[]): string {
  const roll = r();
  if (roll < 0.02 && previous.length > 0)
    return previous[Math.floor(r() * previous.length)] as string;
  if (roll < 0.025) return `{"messages": [broken line ${i}`;
  const zh = r() < 0.5;
  const user = `${sentence(r, zh, 6 + Math.floor(r() * 10))} #${i}`;
  let answer = '';
  const n = 3 + Math.floor(r() * 12);
  for (let k = 0; k < n; k++) answer += sentence(r, zh || r() < 0.1, 8 + Math.floor(r() * 12));
  const line = JSON.stringify({
    messages: [
      { role: 'system', content: 'You are a helpful assistant.' },
      { role: 'user', content: user },
      { role: 'assistant', content: answer },
    ],
    category: ['qa', 'howto', 'explain', 'compare'][i % 4],
  });
  if (roll < 0.045 && previous.length > 0) {
    // a near-duplicate: an earlier record with one word changed
    const earlier = previous[Math.floor(r() * previous.length)] as string;
    return earlier.replace('模型', '大模型').replace('the model', 'a model');
  }
  return line;
}

/** Write about `bytes` of JSONL to `path`; returns the number of lines. */
export async function writeSftDataset(path: string, bytes: number, seed = 42): Promise<number> {
  const r = rng(seed);
  const out = createWriteStream(path);
  const previous: string[] = [];
  let written = 0;
  let lines = 0;
  let batch: string[] = [];
  while (written < bytes) {
    const line = recordLine(r, lines, previous);
    if (previous.length < 1000 && r() < 0.05) previous.push(line);
    batch.push(line);
    written += Buffer.byteLength(line) + 1;
    lines++;
    if (batch.length >= 1000) {
      if (!out.write(`${batch.join('\n')}\n`)) await once(out, 'drain');
      batch = [];
    }
  }
  if (batch.length) out.write(`${batch.join('\n')}\n`);
  await new Promise((resolve) => out.end(resolve));
  return lines;
}
