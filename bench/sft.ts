/**
 * /sft benchmark: `llm-tutor run "/sft file=…"` on a generated 200 MB JSONL (OpenAI chat,
 * Chinese, English and mixed, with planted duplicates and broken lines), start-up included,
 * against a peer measured in the same run on the same file: a plain Node process that reads the
 * file line by line and JSON.parses every line (the least any checker has to do). Reported:
 * throughput (MB/s), the ratio to the peer, and peak RSS of each process; the issue's goals are
 * ≥ 20 MB/s and peak RSS < 300 MB. Needs `npm run build` first (it runs dist/cli.js).
 *
 * Run: `npx tsx bench/sft.ts [MB]` (or import `runSftBench`). About a minute on 2 cores.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeSftDataset } from './sft-data.js';

/**
 * Prints the process's peak RSS (KiB) and CPU time (µs, user + system, all threads) on stderr
 * when it exits: on a shared machine CPU time says more than wall time.
 */
const RSS_PROBE =
  'data:text/javascript,process.on("exit",()=>{const u=process.resourceUsage();process.stderr.write("\\nMAXRSS "+u.maxRSS+" CPU "+(u.userCPUTime+u.systemCPUTime)+"\\n")})';

const PEER = `
const { createReadStream } = require('node:fs');
const { createInterface } = require('node:readline');
(async () => {
  let ok = 0, bad = 0;
  for await (const line of createInterface({ input: createReadStream(process.argv[1]), crlfDelay: Infinity })) {
    if (!line.trim()) continue;
    try { JSON.parse(line); ok++; } catch { bad++; }
  }
  console.log(ok, bad);
})();`;

interface Run {
  name: string;
  seconds: number;
  cpuSeconds: number;
  rssMB: number;
  ok: boolean;
  note: string;
}

function timed(name: string, args: string[]): Run {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['--import', RSS_PROBE, ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  const seconds = (performance.now() - t0) / 1000;
  const probe = /MAXRSS (\d+) CPU (\d+)/.exec(r.stderr);
  const rss = probe?.[1];
  return {
    name,
    seconds,
    cpuSeconds: probe ? Number(probe[2]) / 1e6 : Number.NaN,
    rssMB: rss ? Number(rss) / 1024 : Number.NaN,
    ok: r.status === 0,
    note: r.status === 0 ? r.stdout.split('\n')[0]!.slice(0, 60) : r.stderr.slice(0, 300),
  };
}

export async function runSftBench(megabytes = 200): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'sft-bench-'));
  const path = join(dir, 'data.jsonl');
  try {
    const lines = await writeSftDataset(path, megabytes * 1_000_000, 42);
    const bytes = statSync(path).size;
    const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
    const runs = [
      timed('peer: readline + JSON.parse', ['-e', PEER, path]),
      timed('llm-tutor run "/sft file=…"', [cli, 'run', `/sft file=${path}`]),
      timed('… split=80/10/10 (2 passes + writing)', [
        cli,
        'run',
        `/sft file=${path} split=80/10/10 seed=1 out=${dir}`,
      ]),
    ];
    const mb = bytes / 1e6;
    const peer = runs[0]!;
    console.log(
      `\n== /sft: ${mb.toFixed(0)} MB JSONL, ${lines.toLocaleString('en-US')} lines, whole process (start-up included)`,
    );
    console.log(
      `${'run'.padEnd(42)}${'wall s'.padStart(8)}${'MB/s'.padStart(8)}${'CPU s'.padStart(8)}${'MB/CPU-s'.padStart(10)}${'× peer'.padStart(8)}${'peak RSS MB'.padStart(13)}`,
    );
    for (const r of runs) {
      console.log(
        `${r.name.padEnd(42)}${r.seconds.toFixed(1).padStart(8)}${(mb / r.seconds).toFixed(1).padStart(8)}${r.cpuSeconds.toFixed(1).padStart(8)}${(mb / r.cpuSeconds).toFixed(1).padStart(10)}${(peer.cpuSeconds / r.cpuSeconds).toFixed(2).padStart(8)}${r.rssMB.toFixed(0).padStart(13)}${r.ok ? '' : `  FAILED: ${r.note}`}`,
      );
    }
    console.log(
      "(× peer: the peer's CPU time over this run's; MB/CPU-s is what one free core would do)",
    );
    const check = runs[1]!;
    const wall = mb / check.seconds;
    const cpu = mb / check.cpuSeconds;
    console.log(
      `goals (issue 18): ≥ 20 MB/s → ${wall.toFixed(1)} MB/s wall, ${cpu.toFixed(1)} MB per CPU-second (${cpu >= 20 ? 'met' : 'NOT met'}); peak RSS < 300 MB → ${check.rssMB.toFixed(0)} MB (${check.rssMB < 300 ? 'met' : 'NOT met'})`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await runSftBench(Number(process.argv[2] ?? 200));
}
