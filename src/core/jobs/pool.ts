/**
 * The worker pool for heavy jobs (piscina): what Discord and Slack messages run `/chunk` and
 * `/tokens` in, so that one big paste never holds the event loop that serves everyone.
 *
 * - Threads: one per core (`os.availableParallelism()`), started on first use; one stays warm
 *   (tokenizers loaded), the others stop after a minute idle.
 * - Queue: at most `maxQueue` jobs wait for a thread (default 4 per thread); beyond that a job
 *   is refused at once ("busy, try again"), so a burst cannot build an unbounded backlog.
 * - Budget: a job gets `budgetMs` (default 10 s) of running time, from when a worker starts it
 *   (the worker says so on a MessagePort); past that its thread is terminated (piscina replaces
 *   it) and the user is told the text is too heavy. A worker's heap is capped too (`maxMemoryMb`): a job that runs out fails alone.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { MessageChannel } from 'node:worker_threads';
import { Piscina } from 'piscina';
import type { Logger } from '../log.js';
import type { JobInputs, JobName, JobOutputs, JobTask } from './jobs.js';
import type { JobOutcome, JobRunner } from './runner.js';

export const DEFAULT_JOB_BUDGET_MS = 10_000;

export interface WorkerPoolOptions {
  /** Worker threads (default: the number of cores). */
  threads?: number;
  /** Jobs that may wait for a thread; more are refused as busy (default 4 × threads). */
  maxQueue?: number;
  /** Running time of one job before it is cancelled (default 10 s). */
  budgetMs?: number;
  /** Heap limit of a worker, in MB (default 2048). */
  maxMemoryMb?: number;
  /** Stop an idle thread (beyond the first) after this long (default 60 s). */
  idleTimeoutMs?: number;
  logger?: Pick<Logger, 'warn'>;
}

/** The worker script: the compiled one, or (running from the sources) the .ts through tsx. */
function workerScript(): { filename: string; execArgv: string[] } {
  const js = new URL('./worker.js', import.meta.url);
  if (existsSync(fileURLToPath(js))) return { filename: js.href, execArgv: [] };
  return { filename: new URL('./worker.ts', import.meta.url).href, execArgv: ['--import', 'tsx'] };
}

export class WorkerPool implements JobRunner {
  readonly local = false;
  readonly threads: number;
  readonly maxQueue: number;
  readonly budgetMs: number;
  private readonly options: WorkerPoolOptions;
  private piscina: Piscina | undefined;
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  private closed = false;

  constructor(options: WorkerPoolOptions = {}) {
    this.options = options;
    this.threads = Math.max(1, options.threads ?? availableParallelism());
    this.maxQueue = Math.max(0, options.maxQueue ?? 4 * this.threads);
    this.budgetMs = options.budgetMs ?? DEFAULT_JOB_BUDGET_MS;
  }

  /** Jobs running and waiting now. */
  get load(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waiting.length };
  }

  private pool(): Piscina {
    if (!this.piscina) {
      const { filename, execArgv } = workerScript();
      this.piscina = new Piscina({
        filename,
        execArgv,
        minThreads: 1,
        maxThreads: this.threads,
        idleTimeout: this.options.idleTimeoutMs ?? 60_000,
        resourceLimits: { maxOldGenerationSizeMb: this.options.maxMemoryMb ?? 2048 },
      });
    }
    return this.piscina;
  }

  /** Take a thread, or wait for one in the bounded queue; false when the queue is full. */
  private async acquire(): Promise<boolean> {
    if (this.running < this.threads) {
      this.running++;
      return true;
    }
    if (this.waiting.length >= this.maxQueue) return false;
    await new Promise<void>((resolve) => this.waiting.push(resolve));
    return true; // the slot was handed over by `release`
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.running--;
  }

  async run<K extends JobName>(name: K, input: JobInputs[K]): Promise<JobOutcome<JobOutputs[K]>> {
    if (this.closed || !(await this.acquire())) return { ok: false, reason: 'busy' };
    if (this.closed) {
      this.release();
      return { ok: false, reason: 'busy' };
    }
    // The budget is running time: it starts when a worker takes the job (a thread that is
    // still starting, or replacing one that was cancelled, does not use it up).
    const cancel = new AbortController();
    const { port1, port2 } = new MessageChannel();
    let timer: NodeJS.Timeout | undefined;
    port1.once('message', () => {
      timer = setTimeout(() => cancel.abort(), this.budgetMs);
    });
    try {
      const task: JobTask<K> = { name, input, started: port2 };
      const value = (await this.pool().run(task, {
        signal: cancel.signal,
        transferList: [port2],
      })) as JobOutputs[K];
      return { ok: true, value };
    } catch (err) {
      if (cancel.signal.aborted) return { ok: false, reason: 'timeout', budgetMs: this.budgetMs };
      try {
        this.options.logger?.warn({ err, job: name }, 'a worker job failed');
      } catch {}
      return { ok: false, reason: 'failed' };
    } finally {
      clearTimeout(timer);
      port1.close();
      this.release();
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const next of this.waiting.splice(0)) next();
    const pool = this.piscina;
    this.piscina = undefined;
    await pool?.destroy();
  }
}

let shared: WorkerPool | undefined;

/** One pool per process for every router that was not given its own (created on first use). */
export function sharedWorkerPool(): WorkerPool {
  shared ??= new WorkerPool();
  return shared;
}
