/**
 * Routing benchmark, in one run: the trained classifier (the product) against a naive fuse.js
 * over the ten titles, on both dev sets; then start-up: model load, and `llm-tutor route` on
 * 400 lines, start-up included.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Fuse from 'fuse.js';
import { TopicClassifier } from '../src/knowledge/classifier.js';
import { conceptLexicon } from '../src/knowledge/concepts.js';
import { type EvalLine, type EvalReport, evaluate, parseEvalSet } from '../src/knowledge/eval.js';
import { knowledgeBase, type MatchResult } from '../src/knowledge/index.js';
import { defaultContentDir } from '../src/knowledge/load.js';
import { MODEL_FILE, parseModel } from '../src/knowledge/model.js';
import { detectLang } from '../src/knowledge/text.js';

interface Peer {
  name: string;
  buildMs: number;
  route: (q: string) => MatchResult;
}

function naiveFuse(): Peer {
  const kb = knowledgeBase();
  const t0 = performance.now();
  const docs = kb.topics.flatMap((t) => [
    { topic: t.id, title: t.docs.zh.title },
    { topic: t.id, title: t.docs.en.title },
  ]);
  const fuse = new Fuse(docs, { keys: ['title'], includeScore: true });
  const buildMs = performance.now() - t0;
  return {
    name: 'naive fuse.js (titles)',
    buildMs,
    route: (q) => {
      const hit = fuse.search(q, { limit: 1 })[0];
      const score = hit ? 1 - (hit.score ?? 1) : 0;
      return {
        outcome: hit ? 'answer' : 'none',
        topic: hit ? hit.item.topic : null,
        section: null,
        score,
        confidence: score,
        lang: detectLang(q),
        alternatives: [],
      };
    },
  };
}

function classifier(): Peer {
  const path = `${defaultContentDir()}/${MODEL_FILE}`;
  const t0 = performance.now();
  const model = parseModel(readFileSync(path, 'utf8'), MODEL_FILE);
  const router = new TopicClassifier(model, conceptLexicon());
  const buildMs = performance.now() - t0;
  return { name: 'trained classifier', buildMs, route: (q) => router.match(q) };
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

interface Result {
  name: string;
  buildMs: number;
  coldQps: number;
  qps: number;
  p50: number;
  p99: number;
  report: EvalReport;
}

function measure(peer: Peer, questions: string[], rounds: number, report: EvalReport): Result {
  const c0 = performance.now();
  for (const q of questions) peer.route(q); // first pass: cold caches
  const coldQps = questions.length / ((performance.now() - c0) / 1000);
  const times: number[] = [];
  const t0 = performance.now();
  for (let r = 0; r < rounds; r++) {
    for (const q of questions) {
      const s = performance.now();
      peer.route(q);
      times.push(performance.now() - s);
    }
  }
  const total = performance.now() - t0;
  times.sort((a, b) => a - b);
  return {
    name: peer.name,
    buildMs: peer.buildMs,
    coldQps,
    qps: (questions.length * rounds) / (total / 1000),
    p50: quantile(times, 0.5),
    p99: quantile(times, 0.99),
    report,
  };
}

const pct = (n: number, d: number) => `${((100 * n) / Math.max(1, d)).toFixed(1)}%`;

function devSet(name: string): EvalLine[] {
  return parseEvalSet(readFileSync(new URL(`../test/fixtures/${name}`, import.meta.url), 'utf8'));
}

/** `llm-tutor route` on `n` lines, start-up included: wall time of the whole process. */
function routeCommand(questions: string[], n: number): { ms: number; ok: boolean } {
  const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
  const input = Array.from({ length: n }, (_, i) => questions[i % questions.length]).join('\n');
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [cli, 'route'], { input, encoding: 'utf8' });
  const ms = performance.now() - t0;
  return { ms, ok: r.status === 0 && r.stdout.trim().split('\n').length === n };
}

export function runRoutingBench(rounds = 20): void {
  const sets = { dev1: devSet('routing-dev.jsonl'), dev2: devSet('routing-dev2.jsonl') };
  const questions = [...sets.dev1, ...sets.dev2].map((l) => l.q);
  const peers = [classifier(), naiveFuse()];
  const results = peers.map((peer) => ({
    ...measure(peer, questions, rounds, evaluate(sets.dev1, peer.route)),
    dev2: evaluate(sets.dev2, peer.route),
  }));
  console.log(`\n== routing: ${questions.length} dev questions × ${rounds} rounds, one core`);
  console.log(
    'router'.padEnd(24) +
      'load ms'.padStart(9) +
      'cold q/s'.padStart(10) +
      'q/s'.padStart(9) +
      'p50 µs'.padStart(8) +
      'p99 µs'.padStart(8) +
      '  dev1 on/off'.padStart(15) +
      '  dev2 on/off'.padStart(15),
  );
  for (const r of results) {
    const fig = (e: EvalReport) =>
      `${pct(e.onTopic.correct, e.onTopic.n)}/${pct(e.offTopic.correct, e.offTopic.n)}`;
    console.log(
      r.name.padEnd(24) +
        r.buildMs.toFixed(1).padStart(9) +
        r.coldQps.toFixed(0).padStart(10) +
        r.qps.toFixed(0).padStart(9) +
        (r.p50 * 1000).toFixed(0).padStart(8) +
        (r.p99 * 1000).toFixed(0).padStart(8) +
        fig(r.report).padStart(15) +
        fig(r.dev2).padStart(15),
    );
  }
  const [a, b] = results as unknown as [Result, Result];
  const ratio = (x: number, y: number) => (y === 0 ? '∞' : `${(x / y).toFixed(2)}×`);
  console.log(
    `ratios, classifier / naive fuse.js: on-topic accuracy ${ratio(a.report.onTopic.correct, b.report.onTopic.correct)}, ` +
      `throughput ${ratio(a.qps, b.qps)}, p50 latency ${ratio(a.p50, b.p50)}, start ${ratio(a.buildMs, b.buildMs)}`,
  );
  const modelBytes = readFileSync(`${defaultContentDir()}/${MODEL_FILE}`).length;
  const cli = routeCommand(questions, 400);
  console.log(
    `model file ${(modelBytes / 1e6).toFixed(2)} MB (goal ≤ 20 MB); load ${a.buildMs.toFixed(0)} ms (goal ≤ 300 ms); ` +
      `${a.qps.toFixed(0)} routes/s (goal ≥ 2,000); llm-tutor route on 400 lines: ${(cli.ms / 1000).toFixed(2)} s wall, ` +
      `start-up included (goal < 2 s)${cli.ok ? '' : ' — FAILED'}`,
  );
  console.log(longQuestionScaling());
}

/** Time per question of one unbroken Chinese run at 2,000 and 4,000 characters: linear is ~2×. */
function longQuestionScaling(): string {
  const c = new TopicClassifier();
  c.warm();
  const base = '为什么全参数微调七十亿参数的模型需要这么多显存优化器状态和梯度都要存下来吗';
  const per = (n: number) => {
    const q = base.repeat(Math.ceil(n / base.length)).slice(0, n);
    const started = performance.now();
    for (let i = 0; i < 20; i++) c.match(q);
    return (performance.now() - started) / 20;
  };
  per(2000); // warm-up
  const [short, long] = [per(2000), per(4000)];
  return (
    `one Chinese run of 2,000 / 4,000 characters: ${short.toFixed(1)} / ${long.toFixed(1)} ms a question, ` +
    `ratio ${(long / short).toFixed(2)}× (linear ≈ 2×; it was ~9× before runs were segmented in pieces)`
  );
}

if (import.meta.url === `file://${process.argv[1]}`) runRoutingBench();
