/**
 * `npm run eval`: how the shipped router does.
 * - The thresholds it routes by, and why.
 * - Cross-validation over the training data, grouped by writer (measured by `npm run train`):
 *   the honest estimate for questions nobody has seen.
 * - Both dev sets: on-topic answers, off-topic declines, per language, kind and topic, a
 *   confusion matrix, the calibration error, and section accuracy on labelled lines.
 * `npm run eval -- --misses` lists every miss; `npm run eval -- FILE.jsonl` scores another set.
 */
import { readFileSync } from 'node:fs';
import { TopicClassifier } from '../src/knowledge/classifier.js';
import { type EvalReport, evaluate, parseEvalSet, pct, type Tally } from '../src/knowledge/eval.js';
import { THRESHOLD_REASONS } from '../src/knowledge/model.js';

const router = new TopicClassifier();
const args = process.argv.slice(2);
const files = args.filter((a) => !a.startsWith('--'));
const sets =
  files.length > 0
    ? files.map((f) => ({ name: f, path: f }))
    : [
        { name: 'dev set 1 (test/fixtures/routing-dev.jsonl)', path: 'routing-dev.jsonl' },
        { name: 'dev set 2 (test/fixtures/routing-dev2.jsonl)', path: 'routing-dev2.jsonl' },
      ].map((s) => ({
        name: s.name,
        path: new URL(`../test/fixtures/${s.path}`, import.meta.url),
      }));

const row = (name: string, t: Tally) =>
  `${name.padEnd(12)} ${String(t.n).padStart(4)}  correct ${pct(t).padStart(6)}  ` +
  `did-you-mean ${t.clarifyRight}+${t.clarifyWrong}  wrong ${t.wrong}  declined ${t.falseReject}`;

function printReport(name: string, report: EvalReport): void {
  console.log(`\n== ${name}`);
  console.log(row('on-topic', report.onTopic));
  console.log(row('off-topic', report.offTopic));
  console.log(
    `calibration error (10 bins) ${report.calibrationError.toFixed(3)}; sections right on ` +
      `${report.sections.correct}/${report.sections.n} labelled, answered lines ` +
      `(${((100 * report.sections.correct) / Math.max(1, report.sections.n)).toFixed(1)}%)`,
  );
  for (const [title, group] of [
    ['by language', report.byLang],
    ['by kind', report.byKind],
    ['by topic', report.byTopic],
  ] as const) {
    console.log(`${title}:`);
    for (const [k, t] of Object.entries(group).sort(([a], [b]) =>
      a.localeCompare(b, 'en', { numeric: true }),
    ))
      console.log(`  ${row(k, t)}`);
  }
  const labels = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', 'none'];
  console.log('confusion (rows: truth, columns: routed; did-you-mean counts its first topic):');
  console.log(`  ${'truth'.padEnd(5)}${labels.map((l) => l.padStart(5)).join('')}`);
  for (const truth of labels) {
    const r = report.confusion[truth];
    if (!r) continue;
    console.log(
      `  ${truth.padEnd(5)}${labels.map((l) => String(r[l] ?? '·').padStart(5)).join('')}`,
    );
  }
  if (args.includes('--misses')) {
    for (const m of report.misses) {
      const alts = m.result.alternatives.map((a) => `${a.topic}:${a.score}`).join(' ');
      console.log(
        `  ${m.line.id} [${m.verdict}] want ${m.line.topic} got ${m.result.outcome} ${m.result.topic} ` +
          `(${m.result.confidence}) ${alts} :: ${m.line.q}`,
      );
    }
  }
}

interface Rate {
  n: number;
  correct: number;
}
interface CrossValidation {
  folds: number;
  onTopic: number;
  offTopic: number;
  onN: number;
  offN: number;
  didYouMean: number;
  wrong: number;
  declined: number;
  calibrationError: number;
  sections: { n: number; correct: number };
  byLang: Record<string, Rate>;
  byKind: Record<string, Rate>;
  byTopic: Record<string, Rate>;
}

const percent = (x: number) => `${(100 * x).toFixed(1)}%`;

/** The figures `npm run train` measured on held-out writers: the honest estimate. */
function printCrossValidation(cv: CrossValidation): void {
  console.log(
    `\n== cross-validation over the training lines, ${cv.folds} folds grouped by writer ` +
      '(each writer held out whole; the honest estimate for questions nobody has seen)',
  );
  console.log(
    `on-topic     ${String(cv.onN).padStart(5)}  correct ${percent(cv.onTopic).padStart(6)}  ` +
      `did-you-mean ${cv.didYouMean}  declined ${cv.declined}`,
  );
  console.log(
    `off-topic    ${String(cv.offN).padStart(5)}  correct ${percent(cv.offTopic).padStart(6)}`,
  );
  console.log(
    `wrong answers ${cv.wrong}; calibration error ${cv.calibrationError}; sections right on ` +
      `${cv.sections.correct}/${cv.sections.n} labelled lines (${percent(cv.sections.correct / Math.max(1, cv.sections.n))})`,
  );
  for (const [title, group] of [
    ['by language', cv.byLang],
    ['by kind', cv.byKind],
    ['by topic', cv.byTopic],
  ] as const) {
    const cells = Object.entries(group)
      .sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }))
      .map(([k, r]) => `${k} ${percent(r.correct)} (${r.n})`);
    console.log(`${title}: ${cells.join(', ')}`);
  }
}

const th = router.model.thresholds;
console.log(`router model: temperature ${router.model.temperature}`);
console.log(
  'thresholds (calibrated probabilities, chosen on held-out writer folds by npm run train):',
);
for (const [key, value] of Object.entries(th)) {
  console.log(
    `  ${key.padEnd(9)} ${String(value).padEnd(5)} ${THRESHOLD_REASONS[key as keyof typeof th]}`,
  );
}
printCrossValidation(router.model.report.crossValidation as CrossValidation);
for (const set of sets) {
  const lines = parseEvalSet(readFileSync(set.path, 'utf8'));
  printReport(
    `${set.name}: ${lines.length} lines`,
    evaluate(lines, (q) => router.match(q)),
  );
}
