/**
 * `npm run fuzz`: adversarial messages through the router and every renderer (test/fuzz).
 *   npm run fuzz                      regression cases + 20,000 messages (seed 12)
 *   npm run fuzz -- --n 300000        the long run
 *   npm run fuzz -- --seed 7 --n 5000
 *   npm run fuzz -- --replay 123,456  only these message seeds (from a failure report)
 * Prints messages/s, time per message, how long Discord/Slack messages held the event loop,
 * and the run's event-loop delay; exits 1 when any check failed (add the failing seeds to
 * test/fuzz/regressions.json once fixed).
 */
import { parseArgs } from 'node:util';
import { runFuzz } from '../test/fuzz/harness.js';

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '20000' },
    seed: { type: 'string', default: '12' },
    replay: { type: 'string' },
    'max-ms': { type: 'string', default: '5000' },
    'max-block-ms': { type: 'string', default: '200' },
  },
  strict: true,
});
const n = Number(values.n);
const seed = Number(values.seed);
const only = values.replay?.split(',').map((s) => Number(s.trim()));
process.stdout.write(
  only ? `fuzz: replaying ${only.length} seeds\n` : `fuzz: seed ${seed}, ${n} messages\n`,
);
const report = await runFuzz({
  seed,
  n,
  maxMs: Number(values['max-ms']),
  maxBlockMs: Number(values['max-block-ms']),
  ...(only ? { only } : {}),
  progress: (done, total) => {
    if (done % 10_000 === 0) process.stderr.write(`  ${done}/${total}\n`);
  },
});
const f = (x: { p50: number; p99: number; max: number }) =>
  `p50 ${x.p50} ms, p99 ${x.p99} ms, max ${x.max} ms`;
process.stdout.write(
  [
    `messages:              ${report.messages} in ${report.seconds} s (${report.perSecond} messages/s)`,
    `time per message:      ${f(report.time)} (handling + console, Discord and Slack rendering)`,
    `slowest:               ${report.slowest.ms} ms (seed ${report.slowest.seed}, ${report.slowest.kind})`,
    `Discord/Slack messages: ${report.block.count}; event loop held ${f(report.block)}`,
    ...(report.cpu
      ? [
          `main-thread CPU:       ${f(report.cpu.all)} per message; Discord/Slack ${f(report.cpu.platform)} (a message fails only when its wall time and its CPU are both over the limit)`,
        ]
      : []),
    `event-loop delay:      p50 ${report.loop.p50} ms, p99 ${report.loop.p99} ms, max ${report.loop.max} ms (whole run, in-process messages included)`,
    `quiz posts checked:    ${report.quizPosts}`,
    `failures:              ${report.failures.length}`,
    '',
  ].join('\n'),
);
for (const x of report.open) {
  process.stdout.write(
    `  open (${x.open}): seed ${x.seed} ${x.check}: ${x.detail} (test/fuzz/regressions.json)\n`,
  );
}
for (const x of report.failures.slice(0, 50)) {
  process.stdout.write(`  seed ${x.seed} (${x.kind}) ${x.check}: ${x.detail}\n    ${x.preview}\n`);
}
if (report.failures.length) {
  const seeds = [...new Set(report.failures.map((x) => x.seed).filter((s) => s >= 0))];
  process.stdout.write(`replay: npm run fuzz -- --replay ${seeds.slice(0, 20).join(',')}\n`);
}
process.exit(report.failures.length ? 1 : 0);
