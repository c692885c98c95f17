/**
 * How long the event loop was kept from running (Node's `monitorEventLoopDelay`): the figure
 * that says whether one message stalled everyone else. The bot logs it at debug level every
 * minute; `npm run bench` prints it under a mixed load.
 */
import { type IntervalHistogram, monitorEventLoopDelay } from 'node:perf_hooks';
import type { Logger } from './log.js';

/** Event-loop delay in milliseconds since the last reset. */
export interface LoopDelay {
  p50: number;
  p99: number;
  max: number;
  mean: number;
  /** Number of samples (one per `resolutionMs` while the loop was free to take them). */
  samples: number;
}

export interface LoopMonitor {
  /** The delays since the last reset (and reset, unless `keep`). */
  read(keep?: boolean): LoopDelay;
  stop(): void;
}

export interface LoopMonitorOptions {
  /** Sampling resolution (default 10 ms). */
  resolutionMs?: number;
  /** Log the delays at debug level this often (default 60 s; needs `logger`). */
  logEveryMs?: number;
  logger?: Pick<Logger, 'debug'>;
}

const ms = (ns: number) => Math.round(ns / 1e4) / 100;

function snapshot(h: IntervalHistogram): LoopDelay {
  if (h.count === 0) return { p50: 0, p99: 0, max: 0, mean: 0, samples: 0 };
  return {
    p50: ms(h.percentile(50)),
    p99: ms(h.percentile(99)),
    max: ms(h.max),
    mean: ms(h.mean),
    samples: h.count,
  };
}

/** Start watching the event loop. */
export function watchEventLoop(options: LoopMonitorOptions = {}): LoopMonitor {
  const histogram = monitorEventLoopDelay({ resolution: options.resolutionMs ?? 10 });
  histogram.enable();
  const read = (keep = false): LoopDelay => {
    const s = snapshot(histogram);
    if (!keep) histogram.reset();
    return s;
  };
  let timer: NodeJS.Timeout | undefined;
  const { logger } = options;
  if (logger) {
    timer = setInterval(() => {
      try {
        logger.debug({ eventLoopDelayMs: read() }, 'event loop delay');
      } catch {}
    }, options.logEveryMs ?? 60_000);
    timer.unref();
  }
  return {
    read,
    stop() {
      clearInterval(timer);
      histogram.disable();
    },
  };
}
