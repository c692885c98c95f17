/**
 * /sft end to end on Discord: the real discord.js client against the loopback fake, a .jsonl
 * attached to the slash command, checked in the worker pool, the three splits posted back as
 * attachments.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRouter } from '../../../src/compose.js';
import { type SentMessage, textOf } from '../../fakes/discord.js';
import { type Harness, recordingLogger, startHarness } from './helpers.js';

let h: Harness;

beforeAll(async () => {
  const logs = recordingLogger();
  h = await startHarness({ logs, router: createRouter({ logger: logs.logger }) });
});

afterAll(async () => {
  await h?.close();
});

/** The messages of one interaction, once the last one (with files, or an error) is there. */
async function answersTo(interactionId: string): Promise<SentMessage[]> {
  // the first /sft starts a worker thread and loads the tokenizer: allow for a busy machine
  return h.fake.waitFor(() => {
    const found = h.fake.messages.filter((m) => m.interactionId === interactionId);
    return found.some((m) => m.files.length > 0 || m.ephemeral) ? found : undefined;
  }, 30_000);
}

describe('/sft with an attachment', () => {
  it('reports the planted defects and attaches train/validation/test', {
    timeout: 40_000,
  }, async () => {
    const body = readFileSync('test/fixtures/sft/openai.jsonl', 'utf8');
    const attachment = h.fake.addAttachment({ name: 'data.jsonl', body });
    const i = h.fake.injectSlash({
      name: 'sft',
      options: { split: '80/10/10', seed: 3 },
      attachment,
    });
    const replies = await answersTo(i.id);
    const text = replies.map(textOf).join('\n');
    expect(text).toContain('line 3:');
    expect(text).toContain('line 7 repeats line 1');
    const files = replies.flatMap((m) => m.files);
    expect(files.map((f) => f.name).sort()).toEqual([
      'test.jsonl',
      'train.jsonl',
      'validation.jsonl',
    ]);
    const lines = files.flatMap((f) => f.data.toString('utf8').split('\n').filter(Boolean));
    expect(lines).toHaveLength(12);
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
    expect(h.fake.failures).toEqual([]);
  });

  it('a broken option is answered with the reason, privately', async () => {
    const body = readFileSync('test/fixtures/sft/openai.jsonl', 'utf8');
    const attachment = h.fake.addAttachment({ name: 'data.jsonl', body });
    const i = h.fake.injectSlash({ name: 'sft', options: { split: '80/30' }, attachment });
    const [reply] = await answersTo(i.id);
    expect(textOf(reply!)).toMatch(/adds up to 110/);
  });
});
