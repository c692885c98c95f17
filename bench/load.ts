/**
 * Robustness benchmark (issue 12): how long messages keep the event loop from everyone else.
 *
 * 1. The inputs of issue 12, one at a time: time to the reply and the longest event-loop
 *    delay while it is handled, in-process (the terminal; what every platform did before)
 *    and through the worker pool (what Discord and Slack do now). The splitter alone on the
 *    pathological texts (a + 32,000 combining marks, 8,000 flags, 20,000 marks in tokens).
 * 2. A mixed load: light messages (questions, /vram, /topic, /help) arriving every 20 ms,
 *    with a heavy one (2 MiB /chunk, 200,000-character /tokens, …) every 15th, in-process
 *    against the pool: the light messages' latency and the event-loop delay p99 / max
 *    (`watchEventLoop`, perf_hooks.monitorEventLoopDelay).
 *
 * Figures, not assertions. Run: `npx tsx bench/load.ts` (about a minute) or `npm run bench`.
 */
import { pathToFileURL } from 'node:url';
import { renderDiscordReply } from '../src/adapters/discord/render.js';
import { createRouter } from '../src/compose.js';
import {
  type Incoming,
  type Platform,
  type Reply,
  WorkerPool,
  watchEventLoop,
} from '../src/core/index.js';
import { splitText } from '../src/tools/chunk/index.js';

const MiB = 1024 * 1024;

const HEAVY: [string, () => string][] = [
  ['/chunk size=1, 126,000 chars', () => `/chunk size=1 overlap=0 ${'abcde '.repeat(21_000)}`],
  [
    '/chunk size=10, 2 MiB paste',
    () => `/chunk size=10 ${'The quick brown fox jumps. '.repeat(77_000)}`,
  ],
  [
    '/chunk, 2 MiB zh+en',
    () => `/chunk ${'长文本要先切块。Long text is split first. '.repeat(41_900)}`,
  ],
  [
    '/tokens, 195,000 chars',
    () => `/tokens ${'large language model, context window. '.repeat(5_000)}`,
  ],
  ['/chunk a + 32,000 marks', () => `/chunk a${'\u0301'.repeat(32_000)}`],
  ['/chunk 8,000 flags', () => `/chunk ${'🇨🇳'.repeat(8_000)}`],
  ['/chunk tokens, a + 20,000 marks', () => `/chunk unit=tokens a${'\u0301'.repeat(20_000)}`],
  [
    '/chunk size=100, 2 MiB of marks',
    () => `/chunk size=100 ${'a\u0301\u0301\u0301'.repeat(MiB / 7)}`,
  ],
];

const LIGHT = [
  '为什么SFT之后模型变笨了',
  'How much GPU memory does full fine-tuning of a 7B model need?',
  '/vram llama-2-7b mode=full',
  '/topic 5',
  '/help chunk',
  '/vram 7b mode=lora seq=4096',
  '灾难性遗忘怎么缓解',
  '/topics',
];

const msg = (text: string, platform: Platform, user = 'bench'): Incoming => ({
  platform,
  user: { id: user },
  channel: { id: 'bench', isDM: false },
  text,
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function pct(xs: number[], q: number): number {
  const s = Float64Array.from(xs).sort();
  return s.length ? (s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? 0) : 0;
}
const r0 = (x: number) => String(Math.round(x));

function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) =>
    rows.reduce((w, r) => Math.max(w, (r[i] ?? '').length), h.length),
  );
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** Reply of the pool may be a "busy" or "too heavy" refusal: which one. */
function outcome(r: Reply): string {
  const reason = (r.data as { error?: { reason?: string } } | undefined)?.error?.reason;
  return reason ?? r.kind;
}

async function inputsOneByOne(): Promise<void> {
  const pool = new WorkerPool();
  const router = createRouter({ logger: { error: () => {} }, jobs: pool });
  // Warm both paths: tokenizers loaded in this thread and in a worker.
  await router.handle(msg('/tokens warm up', 'test'));
  await router.handle(msg('/tokens warm up', 'discord'));
  const rows: string[][] = [];
  for (const [name, make] of HEAVY) {
    const text = make();
    const row = [name];
    for (const platform of ['test', 'discord'] as const) {
      await sleep(30);
      const loop = watchEventLoop({ resolutionMs: 5 });
      await sleep(15);
      const t0 = performance.now();
      const reply = await router.handle(msg(text, platform));
      renderDiscordReply(reply);
      const ms = performance.now() - t0;
      await sleep(15);
      const d = loop.read();
      loop.stop();
      row.push(`${r0(ms)} ms`, `${r0(d.max)} ms`, outcome(reply));
    }
    rows.push(row);
  }
  await pool.close();
  console.log('\nIssue 12 inputs, one at a time: time to the reply, longest event-loop delay');
  console.log(
    table(['input', 'in-process', 'loop max', 'reply', 'worker pool', 'loop max', 'reply'], rows),
  );
  const split: string[][] = [];
  for (const [name, text, options] of [
    ['a + 32,000 combining marks', `a${'\u0301'.repeat(32_000)}`, { size: 500, overlap: 50 }],
    ['8,000 flags', '🇨🇳'.repeat(8_000), { size: 500, overlap: 50 }],
    ['8,000 flags, size=1', '🇨🇳'.repeat(8_000), { size: 1 }],
    ['a + 20,000 marks, tokens', `a${'\u0301'.repeat(20_000)}`, { size: 500, unit: 'tokens' }],
  ] as const) {
    const t0 = performance.now();
    const chunks = splitText(text, options);
    const ms = performance.now() - t0;
    const flags = text.startsWith('🇨');
    const halfFlags = flags ? chunks.filter((c) => c.start % 4 || c.end % 4).length : 0;
    split.push([name, `${r0(ms)} ms`, String(chunks.length), String(halfFlags)]);
  }
  console.log('\nsplitText alone (issue 12: 3.2 s, 8.6 s, 26–41 s before; goal < 2 s)');
  console.log(table(['text', 'time', 'chunks', 'cut flags'], split));
}

async function mixedLoad(mode: 'in-process' | 'worker pool'): Promise<string[]> {
  const pool = new WorkerPool();
  const router = createRouter({ logger: { error: () => {} }, jobs: pool });
  const platform: Platform = mode === 'in-process' ? 'test' : 'discord';
  await router.handle(msg('/tokens warm up', platform));
  const heavyTexts = HEAVY.slice(0, 4).map(([, make]) => make());
  const N = 300;
  const light: number[] = [];
  const outcomes = new Map<string, number>();
  await sleep(50);
  const loop = watchEventLoop({ resolutionMs: 10 });
  const started = performance.now();
  const work: Promise<void>[] = [];
  for (let i = 0; i < N; i++) {
    const due = started + i * 20;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    const heavy = i % 15 === 7;
    const text = heavy
      ? (heavyTexts[Math.floor(i / 15) % heavyTexts.length] ?? '')
      : (LIGHT[i % LIGHT.length] ?? '');
    work.push(
      (async () => {
        const reply = await router.handle(msg(text, platform, `user${i % 25}`));
        renderDiscordReply(reply);
        const ms = performance.now() - due; // from when it was sent
        if (heavy) outcomes.set(outcome(reply), (outcomes.get(outcome(reply)) ?? 0) + 1);
        else light.push(ms);
      })(),
    );
  }
  await Promise.all(work);
  const seconds = (performance.now() - started) / 1000;
  const d = loop.read();
  loop.stop();
  await pool.close();
  const heavyText = [...outcomes].map(([k, v]) => `${v} ${k}`).join(', ');
  return [
    mode,
    String(N),
    `${seconds.toFixed(1)} s`,
    heavyText,
    `${r0(pct(light, 0.5))} / ${r0(pct(light, 0.99))} / ${r0(pct(light, 1))} ms`,
    `${d.p99} / ${d.max} ms`,
  ];
}

export async function runLoadBench(): Promise<void> {
  console.log('Robustness (issue 12): event-loop delay under heavy messages');
  await inputsOneByOne();
  const rows = [await mixedLoad('in-process'), await mixedLoad('worker pool')];
  console.log(
    '\nMixed load: a light message every 20 ms, a heavy one (2 MiB /chunk, /tokens 195k) every 15th',
  );
  console.log(
    table(
      ['mode', 'msgs', 'took', 'heavy replies', 'light latency p50/p99/max', 'loop delay p99/max'],
      rows,
    ),
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await runLoadBench();
