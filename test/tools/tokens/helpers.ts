import type { CommandContext } from '../../../src/core/command.js';
import { tokensCommand } from '../../../src/core/commands/tokens.js';
import { inProcessJobs } from '../../../src/core/jobs/runner.js';
import type { Lang, Reply } from '../../../src/core/types.js';

/** Run /tokens as the router would (schema first), counting in-process. */
export function runTokens(text: string | undefined, lang: Lang = 'en'): Promise<Reply> {
  const ctx = {
    incoming: { platform: 'test', user: { id: 'u' }, channel: { id: 'c', isDM: true }, text: '' },
    lang,
    jobs: inProcessJobs,
  } as unknown as CommandContext;
  return Promise.resolve(tokensCommand.run(tokensCommand.schema.parse({ text }), ctx));
}
