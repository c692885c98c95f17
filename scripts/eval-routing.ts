/** `npm run eval`: routing accuracy on the dev set, overall, per language and per kind. */
import { readFileSync } from 'node:fs';
import { type EvalReport, evaluate, parseEvalSet, pct, type Tally } from '../src/knowledge/eval.js';
import { matchQuestion } from '../src/knowledge/index.js';

const file =
  process.argv.slice(2).find((a) => !a.startsWith('--')) ??
  new URL('../test/fixtures/routing-dev.jsonl', import.meta.url);
const lines = parseEvalSet(readFileSync(file, 'utf8'));
const report: EvalReport = evaluate(lines, matchQuestion);

const row = (name: string, t: Tally) =>
  `${name.padEnd(12)} ${String(t.n).padStart(4)}  correct ${pct(t).padStart(6)}  ` +
  `did-you-mean ${t.clarifyRight}+${t.clarifyWrong}  wrong ${t.wrong}  rejected ${t.falseReject}`;

console.log(`routing eval: ${lines.length} questions`);
console.log(row('on-topic', report.onTopic));
console.log(row('off-topic', report.offTopic));
console.log('by language:');
for (const [k, t] of Object.entries(report.byLang)) console.log(`  ${row(k, t)}`);
console.log('by kind:');
for (const [k, t] of Object.entries(report.byKind)) console.log(`  ${row(k, t)}`);
if (process.argv.includes('--misses')) {
  for (const m of report.misses) {
    const alts = m.result.alternatives.map((a) => `${a.topic}:${a.score}`).join(' ');
    console.log(
      `${m.line.id} [${m.verdict}] want ${m.line.topic} got ${m.result.outcome} ${m.result.topic} ` +
        `(${m.result.score}) ${alts} :: ${m.line.q}`,
    );
  }
}
