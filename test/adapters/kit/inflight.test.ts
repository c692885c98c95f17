/** The kit's listener runner: failures logged and apologized for, drained on stop. */
import { describe, expect, it } from 'vitest';
import { InFlight, withTimeout } from '../../../src/adapters/kit/inflight.js';
import type { Logger } from '../../../src/core/log.js';

function recorder() {
  const lines: { obj: Record<string, unknown>; msg: string }[] = [];
  const logger = {
    error: (obj: Record<string, unknown>, msg: string) => lines.push({ obj, msg }),
  } as unknown as Logger;
  return { logger, lines };
}

describe('InFlight', () => {
  it('runs a body; a failure is logged with context, then apologized for', async () => {
    const { logger, lines } = recorder();
    const flight = new InFlight({ logger, name: 'test' });
    let apologies = 0;
    await flight.run(
      { user: 'u1' },
      async () => {},
      async () => apologies++,
    );
    expect(lines).toEqual([]);
    await flight.run(
      { user: 'u1' },
      async () => {
        throw new Error('boom');
      },
      async () => apologies++,
    );
    expect(apologies).toBe(1);
    expect(lines[0]!.msg).toBe('test listener failed');
    expect(lines[0]!.obj.user).toBe('u1');
  });

  it('logs a failed apology and never rejects, not even when the logger throws', async () => {
    const { logger, lines } = recorder();
    const flight = new InFlight({ logger, name: 'test', describe: (e) => String(e) });
    const fail = async () => {
      throw new Error('down');
    };
    await expect(flight.run({}, fail, fail)).resolves.toBeUndefined();
    expect(lines.map((l) => l.msg)).toEqual([
      'test listener failed',
      'test apology could not be sent',
    ]);
    expect(lines[0]!.obj.err).toBe('Error: down');
    const broken = new InFlight({
      logger: {
        error: () => {
          throw new Error('log');
        },
      } as unknown as Logger,
      name: 'x',
    });
    await expect(broken.run({}, fail, fail)).resolves.toBeUndefined();
  });

  it('skips the apology when nobody can receive it', async () => {
    const { logger } = recorder();
    const flight = new InFlight({ logger, name: 'test', canApologize: () => false });
    let apologies = 0;
    await flight.run(
      {},
      async () => Promise.reject(new Error('gone')),
      async () => apologies++,
    );
    expect(apologies).toBe(0);
  });

  it('drain waits for work in flight, but at most the time given', async () => {
    const { logger } = recorder();
    const flight = new InFlight({ logger, name: 'test' });
    let finished = false;
    void flight.run(
      {},
      () =>
        new Promise((r) =>
          setTimeout(() => {
            finished = true;
            r();
          }, 30),
        ),
      async () => {},
    );
    expect(flight.size).toBe(1);
    await flight.drain(5000);
    expect(finished).toBe(true);
    expect(flight.size).toBe(0);
    void flight.run(
      {},
      () => new Promise(() => {}),
      async () => {},
    );
    const t0 = Date.now();
    await flight.drain(20);
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(flight.size).toBe(1);
  });
});

describe('withTimeout', () => {
  it('resolves when the promise settles (a rejection too) or when the time is up', async () => {
    await expect(withTimeout(Promise.resolve(1), 10_000)).resolves.toBeUndefined();
    await expect(withTimeout(Promise.reject(new Error('x')), 10_000)).resolves.toBeUndefined();
    await expect(withTimeout(new Promise(() => {}), 5)).resolves.toBeUndefined();
  });
});
