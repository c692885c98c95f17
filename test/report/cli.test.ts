/**
 * Issue 16's "done when", end to end through `llm-tutor` child processes on one LLM_TUTOR_DB:
 * in the terminal chat an off-topic question and a real one rated bad; `llm-tutor report
 * --json` lists both; after /forget-me the report shows neither. Also the text report, the
 * export and the HTML file, and the report's bad arguments.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/build.js';
import { tempDir } from '../quiz/helpers.js';

const cli = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
const tmp = tempDir('llm-tutor-report-');
afterAll(() => tmp.cleanup());

const OFF_TOPIC = "what's the weather in Paris today";
const ON_TOPIC = 'how much GPU memory does full fine-tuning of a 7B model need?';

function llmTutor(args: string[], db: string, input?: string) {
  const r = spawnSync(process.execPath, [cli, ...args], {
    encoding: 'utf8',
    cwd: tmp.dir,
    input: input ?? '',
    env: { PATH: process.env.PATH, HOME: tmp.dir, LANG: 'C', LLM_TUTOR_DB: db },
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function reportJson(db: string): Report {
  const r = llmTutor(['report', '--json'], db);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Report;
}

describe('llm-tutor report, end to end', () => {
  const db = join(tmp.dir, 'done-when.db');

  it('lists the declined question and the 👎 with its reason; /forget-me removes both', () => {
    const chat = llmTutor([], db, `${OFF_TOPIC}\n${ON_TOPIC}\n/rate bad wrong section\n`);
    expect(chat.code, chat.stderr).toBe(0);
    expect(chat.stdout).toMatch(/Not one of my topics/);
    expect(chat.stdout).toMatch(/👎 is recorded/);

    const before = reportJson(db);
    expect(before.declinedClusters.flatMap((c) => c.questions.map((q) => q.text))).toEqual([
      OFF_TOPIC,
    ]);
    expect(before.thumbsDown).toMatchObject([
      { question: { text: ON_TOPIC, topic: 5 }, reason: 'wrong section' },
    ]);
    expect(JSON.stringify(before)).not.toMatch(/userHash|local/);

    const text = llmTutor(['report'], db);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`"${OFF_TOPIC}"`);
    expect(text.stdout).toContain('— reason: wrong section');

    const forget = llmTutor([], db, '/forget-me\n/forget-me confirm\n');
    expect(forget.stdout).toMatch(/Send \/forget-me confirm/);
    expect(forget.stdout).toMatch(/Deleted: 2 logged questions, 1 rating\./);

    const after = reportJson(db);
    expect(after.totals).toMatchObject({ questions: 0, declined: 0, bad: 0 });
    expect(after.declinedClusters).toEqual([]);
    expect(after.thumbsDown).toEqual([]);
  });

  it('writes the training lines to review and the HTML page', () => {
    const file = join(tmp.dir, 'files.db');
    llmTutor(['run', OFF_TOPIC], file);
    llmTutor(['run', `/ask ${OFF_TOPIC}`], file);
    const jsonl = join(tmp.dir, 'review.jsonl');
    const html = join(tmp.dir, 'report.html');
    const r = llmTutor(['report', '--days', '7', '--export', jsonl, '--html', html], file);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`Wrote 1 training line to review to ${jsonl}`);
    expect(readFileSync(jsonl, 'utf8')).toBe(
      `${JSON.stringify({ q: OFF_TOPIC, topic: null, lang: 'en', kind: 'declined' })}\n`,
    );
    expect(readFileSync(html, 'utf8')).toContain('<canvas id="chart-days">');
    expect(r.stdout, 'the files are the output').toBe('');
  });

  it('explains bad arguments and unwritable files', () => {
    const db2 = join(tmp.dir, 'bad.db');
    const days = llmTutor(['report', '--days', 'week'], db2);
    expect(days.code).toBe(2);
    expect(days.stderr).toContain(
      '--days must be a whole number of days from 1 to 3650 (got "week")',
    );
    expect(llmTutor(['report', '--days', '0'], db2).code).toBe(2);
    const unknown = llmTutor(['report', '--csv'], db2);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/Unknown option '--csv'[\s\S]*Usage: llm-tutor report/);
    const noFile = llmTutor(['report', '--html'], db2);
    expect(noFile.code).toBe(2);
    expect(noFile.stderr).toContain('--html needs a file name, e.g. --html report.html');
    const unwritable = llmTutor(
      ['report', '--export', join(tmp.dir, 'no', 'such', 'dir', 'x.jsonl')],
      db2,
    );
    expect(unwritable.code).toBe(2);
    expect(unwritable.stderr).toMatch(/Cannot write .*x\.jsonl: ENOENT/);
    expect(existsSync(db2)).toBe(true);
  });
});
