/**
 * `/sft file=path` in the terminal and `llm-tutor run`: the file is streamed twice (check, then
 * split), never held whole, so a 500 MB dataset runs in bounded memory. Progress goes to stderr
 * when it is a terminal.
 */

import { once } from 'node:events';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import {
  planSplit,
  type SftAnalysis,
  SftAnalyzer,
  type SftOptions,
  SPLIT_NAMES,
  type SplitName,
  type SplitOptions,
  SplitRouter,
} from '../../tools/sft/index.js';
import type { Lang, Reply } from '../types.js';
import { sftReply } from './sft-reply.js';

const PIECE = 1 << 18;

/** Shows how far a pass is, on one rewritten stderr line (only when stderr is a terminal). */
function progress(label: string, total: number): { tick(done: number): void; done(): void } {
  const tty = process.stderr.isTTY === true;
  let last = 0;
  return {
    tick(done) {
      const now = Date.now();
      if (!tty || now - last < 200) return;
      last = now;
      const mb = (x: number) => (x / 1e6).toFixed(0);
      const share = total > 0 ? Math.floor((100 * done) / total) : 0;
      process.stderr.write(`\r/sft ${label}: ${share}% (${mb(done)} of ${mb(total)} MB)   `);
    },
    done() {
      if (tty) process.stderr.write('\r\u001b[2K');
    },
  };
}

async function readPieces(
  path: string,
  bytes: number,
  label: string,
  onPiece: (s: string) => void,
): Promise<void> {
  const bar = progress(label, bytes);
  const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: PIECE });
  let done = 0;
  try {
    for await (const piece of stream as AsyncIterable<string>) {
      onPiece(piece);
      done += Buffer.byteLength(piece);
      bar.tick(done);
    }
  } finally {
    bar.done();
  }
}

/** Where the splits of `path` go: `<out>/<name>.train.jsonl` and so on. */
export function splitPaths(path: string, out: string | undefined): Record<SplitName, string> {
  const dir = out ?? dirname(path);
  const stem = basename(path, extname(path));
  return {
    train: join(dir, `${stem}.train.jsonl`),
    validation: join(dir, `${stem}.validation.jsonl`),
    test: join(dir, `${stem}.test.jsonl`),
  };
}

async function writeSplits(
  path: string,
  bytes: number,
  analysis: SftAnalysis,
  split: SplitOptions,
  paths: Record<SplitName, string>,
) {
  const plan = planSplit(analysis, split);
  const streams = {} as Record<SplitName, WriteStream>;
  for (const s of SPLIT_NAMES) streams[s] = createWriteStream(paths[s], { encoding: 'utf8' });
  const pending: Record<SplitName, string[]> = { train: [], validation: [], test: [] };
  const router = new SplitRouter(plan, (s, line) => pending[s].push(line));
  const flush = async () => {
    for (const s of SPLIT_NAMES) {
      if (pending[s].length === 0) continue;
      const text = `${pending[s].join('\n')}\n`;
      pending[s] = [];
      if (!streams[s].write(text)) await once(streams[s], 'drain');
    }
  };
  const bar = progress('split', bytes);
  let done = 0;
  const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: PIECE });
  try {
    for await (const piece of stream as AsyncIterable<string>) {
      router.push(piece);
      await flush();
      done += Buffer.byteLength(piece);
      bar.tick(done);
    }
    router.end();
    await flush();
  } finally {
    bar.done();
    await Promise.all(SPLIT_NAMES.map((s) => new Promise((r) => streams[s].end(r))));
  }
  return plan;
}

/** Check a file (and write its splits next to it, or into `out`). */
export async function sftFile(
  path: string,
  bytes: number,
  lang: Lang,
  options: SftOptions,
  split: SplitOptions | undefined,
  out: string | undefined,
): Promise<Reply> {
  const analyzer = new SftAnalyzer({ ...options, expectedBytes: bytes });
  await readPieces(path, bytes, 'check', (p) => analyzer.push(p));
  const analysis = analyzer.finish();
  if (!split) return sftReply(analysis.report, lang, path);
  const outputs = splitPaths(path, out);
  const plan = await writeSplits(path, bytes, analysis, split, outputs);
  return sftReply(analysis.report, lang, path, {
    options: split,
    plan: { counts: plan.counts, dropped: plan.dropped },
    outputs,
    stratify: options.stratify,
  });
}
