/**
 * `llm-tutor report [--days N] [--json] [--export FILE] [--html FILE]`: the keeper's report
 * from the question log in `LLM_TUTOR_DB`, as text (or JSON) on stdout, or into files: `--export` writes the
 * selected questions as training lines to review, `--html` the report as one offline page.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadConfig, openConfiguredStore } from '../compose.js';
import { knowledgeBase } from '../knowledge/index.js';
import { buildReport } from './build.js';
import { trainingJsonl } from './export.js';
import { renderHtmlReport } from './html.js';
import { renderTextReport } from './text.js';

export const REPORT_USAGE =
  'Usage: llm-tutor report [--days N] [--json] [--export FILE] [--html FILE]';

interface ReportArgs {
  days?: number;
  json: boolean;
  export?: string;
  html?: string;
}

function needsFile(option: string): string {
  return `--${option} needs a file name, e.g. --${option} report.${option === 'html' ? 'html' : 'jsonl'}`;
}

/** The arguments, or what is wrong with them. */
export function parseReportArgs(
  args: string[],
): { ok: true; value: ReportArgs } | { ok: false; error: string } {
  let values: { days?: string; json?: boolean; export?: string; html?: string };
  try {
    values = parseArgs({
      args,
      options: {
        days: { type: 'string' },
        json: { type: 'boolean' },
        export: { type: 'string' },
        html: { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (err) {
    const missing = /^Option '--(export|html) <value>' argument missing/.exec(
      (err as Error).message,
    );
    return { ok: false, error: missing ? needsFile(missing[1]!) : (err as Error).message };
  }
  const out: ReportArgs = { json: Boolean(values.json) };
  if (values.days !== undefined) {
    const days = Number(values.days);
    if (!/^\d+$/.test(values.days.trim()) || days < 1 || days > 3650) {
      return {
        ok: false,
        error: `--days must be a whole number of days from 1 to 3650 (got "${values.days}"), e.g. --days 7`,
      };
    }
    out.days = days;
  }
  for (const name of ['export', 'html'] as const) {
    const file = values[name];
    if (file !== undefined && !file.trim()) return { ok: false, error: needsFile(name) };
    if (file !== undefined) out[name] = file;
  }
  return { ok: true, value: out };
}

function write(file: string, text: string, what: string): boolean {
  try {
    writeFileSync(file, text);
    process.stderr.write(`Wrote ${what} to ${file}\n`);
    return true;
  } catch (err) {
    process.stderr.write(`Cannot write ${file}: ${(err as Error).message}\n`);
    return false;
  }
}

export async function runReport(args: string[]): Promise<number> {
  const parsed = parseReportArgs(args);
  if (!parsed.ok) {
    process.stderr.write(`${parsed.error}\n${REPORT_USAGE}\n`);
    return 2;
  }
  const config = loadConfig();
  const days = parsed.value.days ?? (config.LLM_TUTOR_KEEP_DAYS || 30);
  const store = await openConfiguredStore(config);
  try {
    const report = await buildReport(store, { days, knowledge: knowledgeBase() });
    // with --export or --html the files are the output; the text report is for the terminal
    const files = parsed.value.export !== undefined || parsed.value.html !== undefined;
    if (parsed.value.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    else if (!files) process.stdout.write(`${renderTextReport(report)}\n`);
    const jsonl = parsed.value.export ? trainingJsonl(report) : '';
    const lines = jsonl ? jsonl.split('\n').length - 1 : 0;
    if (
      parsed.value.export &&
      !write(
        parsed.value.export,
        jsonl,
        `${lines} training line${lines === 1 ? '' : 's'} to review`,
      )
    )
      return 2;
    if (parsed.value.html && !write(parsed.value.html, renderHtmlReport(report), 'the HTML report'))
      return 2;
    return 0;
  } finally {
    await store.close();
  }
}
