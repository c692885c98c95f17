/**
 * A seeded synthetic SFT dataset for the /sft benchmark: OpenAI-chat JSONL in Chinese,
 * English and mixed, with a share of exact and near-duplicates and a few broken lines,
 * written in pieces so generating 200 MB needs little memory.
 */

import { once } from 'node:events';
import { createWriteStream, readdirSync, readFileSync } from 'node:fs';
import { seededRandom } from './corpus.js';

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
];
const SYLLABLES = [
  'ka',
  'to',
  'ri',
  'mo',
  'ne',
  'sa',
  'lu',
  'vi',
  'de',
  'po',
  'gra',
  'str',
  'en',
  'ion',
  'al',
  'er',
];

/**
 * Chinese characters as often as they occur in the tutor's own Chinese topics, so the text has
 * a realistic mix of common characters (and realistic tokenizer cost).
 */
const HAN: string = (() => {
  const dir = new URL('../src/knowledge/content/zh/', import.meta.url);
  const text = readdirSync(dir)
    .map((f) => readFileSync(new URL(f, dir), 'utf8'))
    .join('');
  return (text.match(/\p{Script=Han}/gu) ?? ['模', '型']).join('');
})();

/** A word: a domain term now and then, otherwise made of 1–4 random syllables. */
function word(r: () => number): string {
  if (r() < 0.1) return EN[Math.floor(r() * EN.length)] as string;
  let w = '';
  const n = 1 + Math.floor(r() * 4);
  for (let i = 0; i < n; i++) w += SYLLABLES[Math.floor(r() * SYLLABLES.length)];
  return w;
}

/** A sentence: made-up English words, or Chinese characters at their usual frequencies. */
function sentence(r: () => number, zh: boolean, words: number): string {
  const parts: string[] = [];
  if (zh) {
    for (let i = 0; i < words * 2; i++) parts.push(HAN[Math.floor(r() * HAN.length)] as string);
    if (r() < 0.3) parts.push(word(r));
    return `${parts.join('')}。`;
  }
  for (let i = 0; i < words; i++) parts.push(word(r));
  return `${parts.join(' ')}.`;
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
    return earlier.replace('.', ', and so on.').replace('。', '，等等。');
  }
  return line;
}

/** Write about `bytes` of JSONL to `path`; returns the number of lines. */
export async function writeSftDataset(path: string, bytes: number, seed = 42): Promise<number> {
  const r = seededRandom(seed);
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
