/**
 * Routing benchmark: the project's matcher against a naive fuse.js over the ten titles
 * (the baseline the foundation issue measured at 4 % top-1), on the dev set, in one run.
 */
import { readFileSync } from 'node:fs';
import Fuse from 'fuse.js';
import { type EvalReport, evaluate, parseEvalSet } from '../src/knowledge/eval.js';
import { knowledgeBase, type MatchResult, TopicMatcher } from '../src/knowledge/index.js';
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
        lang: detectLang(q),
        alternatives: [],
      };
    },
  };
}

function ours(): Peer {
  const kb = knowledgeBase();
  const t0 = performance.now();
  const matcher = new TopicMatcher(kb);
  const buildMs = performance.now() - t0;
  return { name: 'llm-tutor matcher', buildMs, route: (q) => matcher.match(q) };
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

export function runRoutingBench(rounds = 20): void {
  const lines = parseEvalSet(
    readFileSync(new URL('../test/fixtures/routing-dev.jsonl', import.meta.url), 'utf8'),
  );
  const questions = lines.map((l) => l.q);
  const results = [ours(), naiveFuse()].map((peer) =>
    measure(peer, questions, rounds, evaluate(lines, peer.route)),
  );
  console.log(`\n== routing: ${questions.length} dev questions × ${rounds} rounds`);
  console.log(
    'matcher'.padEnd(26) +
      'build ms'.padStart(10) +
      'cold q/s'.padStart(10) +
      'q/s'.padStart(10) +
      'p50 µs'.padStart(9) +
      'p99 µs'.padStart(9) +
      'on-topic'.padStart(10) +
      'off-topic'.padStart(11),
  );
  for (const r of results) {
    console.log(
      r.name.padEnd(26) +
        r.buildMs.toFixed(1).padStart(10) +
        r.coldQps.toFixed(0).padStart(10) +
        r.qps.toFixed(0).padStart(10) +
        (r.p50 * 1000).toFixed(0).padStart(9) +
        (r.p99 * 1000).toFixed(0).padStart(9) +
        pct(r.report.onTopic.correct, r.report.onTopic.n).padStart(10) +
        pct(r.report.offTopic.correct, r.report.offTopic.n).padStart(11),
    );
  }
  const [a, b] = results as [Result, Result];
  const ratio = (x: number, y: number) => (y === 0 ? '∞' : `${(x / y).toFixed(2)}×`);
  console.log(
    `ratios (ours / naive): on-topic accuracy ${ratio(a.report.onTopic.correct, b.report.onTopic.correct)}, ` +
      `throughput ${ratio(a.qps, b.qps)} (cold ${ratio(a.coldQps, b.coldQps)}), p50 latency ${ratio(a.p50, b.p50)}, build ${ratio(a.buildMs, b.buildMs)}`,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) runRoutingBench();
