/**
 * The CPU-heavy jobs, by name: what runs off the event loop for the chat platforms. A job is a
 * pure, synchronous function of plain data (it crosses a thread: structured clone in and out).
 * To add one (e.g. `/sft`): give its input and output types below, add the function to `JOBS`,
 * and call `ctx.jobs.run('name', input)` from the command.
 */
import type { MessagePort } from 'node:worker_threads';
import { type TokenStats, tokenStats } from '../../tools/tokens/index.js';
import { type ChunkJob, chunkReply } from '../commands/chunk-reply.js';
import { type SftJob, sftJob } from '../commands/sft-reply.js';
import type { Reply } from '../types.js';

export interface JobInputs {
  chunk: ChunkJob;
  tokens: { text: string };
  sft: SftJob;
}

export interface JobOutputs {
  chunk: Reply;
  tokens: TokenStats;
  sft: Reply;
}

export type JobName = keyof JobInputs;

const JOBS: { [K in JobName]: (input: JobInputs[K]) => JobOutputs[K] } = {
  chunk: chunkReply,
  tokens: (input) => tokenStats(input.text),
  sft: sftJob,
};

/** What crosses into a worker thread. */
export interface JobTask<K extends JobName = JobName> {
  name: K;
  input: JobInputs[K];
  /** The worker posts on this port when it starts the job (its time budget starts then). */
  started?: MessagePort;
}

export function runJob<K extends JobName>(task: JobTask<K>): JobOutputs[K] {
  const job = JOBS[task.name] as (input: JobInputs[K]) => JobOutputs[K];
  return job(task.input);
}
