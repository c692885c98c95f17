/**
 * How commands run their heavy part: `ctx.jobs.run(name, input)`. In the terminal and
 * `llm-tutor run` the job runs in-process (`inProcessJobs`); for Discord and Slack it runs in
 * the worker pool (`WorkerPool`), with a time budget and a bounded queue. Either way the
 * outcome is a value, or a reason it is not there, never an exception.
 */
import { t } from '../i18n.js';
import type { Lang, Reply } from '../types.js';
import { type JobInputs, type JobName, type JobOutputs, runJob } from './jobs.js';

export type JobOutcome<T> =
  | { ok: true; value: T }
  | {
      ok: false;
      /** busy: the queue is full; timeout: over its time budget; failed: the job crashed. */
      reason: 'busy' | 'timeout' | 'failed';
      /** The time budget, for the message. */
      budgetMs?: number;
    };

export interface JobRunner {
  /** True when jobs run on the calling thread (the terminal), false for a worker pool. */
  readonly local: boolean;
  run<K extends JobName>(name: K, input: JobInputs[K]): Promise<JobOutcome<JobOutputs[K]>>;
  /** Stop the workers (a pool); nothing to do in-process. */
  close(): Promise<void>;
}

/** Jobs run on the calling thread: the terminal chat and `llm-tutor run` (one user). */
export const inProcessJobs: JobRunner = {
  local: true,
  async run(name, input) {
    try {
      return { ok: true, value: runJob({ name, input }) };
    } catch {
      return { ok: false, reason: 'failed' };
    }
  },
  async close() {},
};

const VERB: Record<string, { en: string; zh: string }> = {
  '/chunk': { en: 'split', zh: '切分' },
  '/tokens': { en: 'count', zh: '统计' },
  '/sft': { en: 'check', zh: '检查' },
};

/** The reply when a heavy job did not finish: busy, over its time budget, or failed. */
export function jobFailureReply(
  outcome: Extract<JobOutcome<unknown>, { ok: false }>,
  lang: Lang,
  command: string,
): Reply {
  const verb = VERB[command] ?? { en: 'process', zh: '处理' };
  const seconds = Number(((outcome.budgetMs ?? 10_000) / 1000).toFixed(1));
  const text =
    outcome.reason === 'busy'
      ? {
          en: `I'm busy with other long texts right now. Please try ${command} again in a minute.`,
          zh: `我正在处理别人的长文本，现在有点忙。请过一分钟再试一次 ${command}。`,
        }
      : outcome.reason === 'timeout'
        ? {
            en: `This text is too heavy to ${verb.en} in ${seconds} s, so I stopped. Try a shorter text${command === '/chunk' ? ' or a larger size, or `llm-tutor chunk < file` in a terminal (it streams files of any size)' : ''}.`,
            zh: `这段文本太大，${seconds} 秒内${verb.zh}不完，已停止。请换短一些的文本${command === '/chunk' ? '或更大的 size，或在终端用 llm-tutor chunk < 文件（流式处理，大小不限）' : ''}。`,
          }
        : {
            en: `I could not ${verb.en} this text (it may be too large to work on here). Try a shorter text.`,
            zh: `无法${verb.zh}这段文本（可能太大了）。请换短一些的文本。`,
          };
  return {
    kind: 'error',
    lang,
    ephemeral: true,
    title: outcome.reason === 'busy' ? `${command}: ${t(lang, { en: 'busy', zh: '忙' })}` : command,
    paragraphs: [t(lang, text)],
    data: { error: { reason: outcome.reason } },
  };
}
