/**
 * Start-up (issue 14 item 10): time from `node dist/main.js` (the terminal chat, no platform
 * configured) to its reply to `/help` typed at once — with piped input there is no prompt to
 * wait for, and the reply comes when the prompt would — wall and CPU, against the peer
 * measured in the same run: bare `node` echoing a line, i.e. what any Node program pays
 * before its first statement. Runs alternate, medians are reported. Needs `npm run build`.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const TICK_MS = 10; // /proc/<pid>/stat counts CPU in clock ticks of 10 ms

interface Run {
  wallMs: number;
  cpuMs: number;
}

/** CPU time (user + system) of a live process so far, ms. */
function cpuOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
}

/** Start `args`, type `/help`, wait until stdout matches `ready`, read its CPU, then end it. */
function timeToReady(args: string[], ready: RegExp, env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, args, { env, stdio: ['pipe', 'pipe', 'inherit'] });
    child.stdin.write('/help\n');
    let out = '';
    let done = false;
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString('utf8');
      if (done || !ready.test(out)) return;
      done = true;
      const wallMs = performance.now() - t0;
      const cpuMs = child.pid ? cpuOf(child.pid) : Number.NaN;
      child.stdin.end('/quit\n');
      child.once('exit', () => resolve({ wallMs, cpuMs }));
    });
    child.once('exit', (code) => {
      if (!done) reject(new Error(`exited with ${code} before it was ready; stdout:\n${out}`));
    });
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

export async function runStartupBench(rounds = 7): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'llm-tutor-startup-bench-'));
  try {
    const env = { PATH: process.env.PATH, HOME: dir, LLM_TUTOR_DB: join(dir, 't.db') };
    const bot: Run[] = [];
    const peer: Run[] = [];
    for (let i = 0; i < rounds; i++) {
      bot.push(await timeToReady([MAIN], /what I can do[\s\S]*\/vram/, env));
      peer.push(await timeToReady(['-e', 'process.stdin.pipe(process.stdout)'], /\/help/, env));
    }
    const b = { wall: median(bot.map((r) => r.wallMs)), cpu: median(bot.map((r) => r.cpuMs)) };
    const p = { wall: median(peer.map((r) => r.wallMs)), cpu: median(peer.map((r) => r.cpuMs)) };
    console.log(`\n== start-up: the terminal chat's first reply, medians of ${rounds} runs`);
    console.log(
      `llm-tutor ${b.wall.toFixed(0)} ms wall, ${b.cpu.toFixed(0)} ms CPU; bare node ${p.wall.toFixed(0)} ms wall, ` +
        `${p.cpu.toFixed(0)} ms CPU; ratio ${(b.wall / p.wall).toFixed(1)}× wall, ${(b.cpu / p.cpu).toFixed(1)}× CPU ` +
        `(goal: first prompt < 2 s)${b.wall < 2000 ? '' : ' — OVER'}`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await runStartupBench();
