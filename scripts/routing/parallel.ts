/**
 * Cross-validation on every core: the folds are dealt to child processes (each loads the same
 * lines in the same order and trains its folds), while the parent trains the final model.
 * The result does not depend on the number of processes.
 */
import { fork } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { HeldOut, TrainSettings } from './pipeline.js';

/** What a cross-validation process sends back: line index, logits, held-out section. */
export interface FoldMessage {
  held: [number, number[], string | null][];
}

export function parallelCrossValidate(
  settings: TrainSettings,
  processes = Math.max(1, Math.min(availableParallelism(), 4)),
): Promise<Map<number, HeldOut>> {
  const child = fileURLToPath(new URL('./cv-child.ts', import.meta.url));
  const runs = Array.from(
    { length: processes },
    (_, part) =>
      new Promise<FoldMessage>((resolve, reject) => {
        const proc = fork(child, [String(part), String(processes), JSON.stringify(settings)], {
          execArgv: ['--import', 'tsx'],
        });
        let result: FoldMessage | undefined;
        proc.on('message', (m) => {
          result = m as FoldMessage;
        });
        proc.on('error', reject);
        proc.on('exit', (code) => {
          if (code === 0 && result) resolve(result);
          else reject(new Error(`cross-validation process ${part} exited with ${code}`));
        });
      }),
  );
  return Promise.all(runs).then((parts) => {
    const out = new Map<number, HeldOut>();
    for (const p of parts) {
      for (const [i, z, section] of p.held) {
        out.set(i, { logits: Float64Array.from(z), ...(section ? { section } : {}) });
      }
    }
    return out;
  });
}
