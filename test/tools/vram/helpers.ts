import type { CommandContext } from '../../../src/core/command.js';
import { vramCommand } from '../../../src/core/commands/vram.js';
import type { Lang, Reply } from '../../../src/core/types.js';
import {
  estimateMemory,
  type VramEstimate,
  type VramOptionsInput,
} from '../../../src/tools/vram/index.js';

export const GiB = 2 ** 30;
export const MiB = 2 ** 20;

export function est(options: VramOptionsInput): VramEstimate {
  return estimateMemory(options);
}

/** |actual/expected − 1| ≤ tolerance. */
export function relErr(actual: number, expected: number): number {
  return Math.abs(actual / expected - 1);
}

/** The parts of a command context /vram reads (lang, incoming). */
export function ctx(lang: Lang, text = '/vram'): CommandContext {
  const partial = {
    lang,
    incoming: {
      platform: 'test',
      user: { id: 'u1' },
      channel: { id: 'c1', isDM: true },
      text,
    },
    commands: [vramCommand],
  };
  return partial as unknown as CommandContext;
}

/** Run the command as the router would: validate with the schema first when it parses. */
export async function runVram(options: Record<string, unknown>, lang: Lang = 'en'): Promise<Reply> {
  const parsed = vramCommand.schema.safeParse(options);
  const args = (parsed.success ? parsed.data : options) as Parameters<typeof vramCommand.run>[0];
  const line = Object.entries(options).map(([k, v]) => `${k}=${String(v)}`);
  return await vramCommand.run(args, ctx(lang, ['/vram', ...line].join(' ')));
}
