/**
 * 👍/👎 on Discord with the real discord.js client against the fake: the buttons under an
 * answer, a press recorded once per user and acknowledged privately, the 👎 modal and its
 * reason, and the per-user rate limit (src/adapters/kit/limit.ts) on questions and ratings.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RateLimiter } from '../../../src/adapters/kit/index.js';
import { createRouter, memoryStore } from '../../../src/compose.js';
import type { Store } from '../../../src/store/types.js';
import { buttonsOf, fakeUser, type SentMessage, textOf } from '../../fakes/discord.js';
import { type Harness, recordingLogger, startHarness } from './helpers.js';

const QUESTION = 'how much GPU memory does full fine-tuning of a 7B model need?';

let h: Harness;
let store: Store;

beforeAll(async () => {
  const logs = recordingLogger();
  store = memoryStore();
  h = await startHarness({ logs, router: createRouter({ logger: logs.logger, store }) });
});

afterAll(async () => {
  await h?.close();
  await store?.close();
});

async function answersTo(interactionId: string): Promise<SentMessage> {
  return h.fake.waitFor(() => h.fake.messages.find((m) => m.interactionId === interactionId));
}

async function askedAnswer(harness: Harness, text = QUESTION): Promise<SentMessage> {
  const m = harness.fake.injectMention(text);
  return harness.fake.waitFor(() => harness.fake.messages.find((x) => x.referenceId === m.id));
}

describe('👍 / 👎 buttons', () => {
  it('an answer carries two buttons; a press is recorded once per user, privately', async () => {
    const answer = await askedAnswer(h);
    const buttons = buttonsOf(answer);
    expect(buttons.map((b) => b.label)).toEqual(['👍', '👎']);
    const [row] = await store.questionsSince(0);
    expect(buttons[0]!.custom_id).toBe(`c0:/rate good answer=${row!.id}`);
    expect(buttons[1]!.custom_id).toBe(`r1:/rate bad answer=${row!.id}`);

    const first = await answersTo(
      h.fake.injectButton({ customId: buttons[0]!.custom_id, message: answer }).id,
    );
    expect(first.ephemeral).toBe(true);
    expect(textOf(first)).toMatch(/👍 is recorded/);
    const again = await answersTo(
      h.fake.injectButton({ customId: buttons[0]!.custom_id, message: answer }).id,
    );
    expect(textOf(again)).toMatch(/already rated/);
    const other = await answersTo(
      h.fake.injectButton({
        customId: buttons[0]!.custom_id,
        message: answer,
        user: fakeUser('555000555000555000', 'ada'),
      }).id,
    );
    expect(textOf(other)).toMatch(/👍 is recorded/);
    expect((await store.ratingsSince(0)).map((r) => r.good)).toEqual([true, true]);
  });

  it('👎 opens a modal asking for an optional reason; the submit records it', async () => {
    const answer = await askedAnswer(h, 'why does my model get dumber after SFT');
    const down = buttonsOf(answer)[1]!;
    const click = h.fake.injectButton({ customId: down.custom_id, message: answer });
    const modal = await h.fake.waitFor(() =>
      h.fake.modals.find((x) => x.interactionId === click.id),
    );
    expect(modal.data).toMatchObject({ title: 'What was wrong?' });
    expect(JSON.stringify(modal.data.components)).toContain('Reason (optional, one line)');
    expect(h.fake.messages.filter((m) => m.interactionId === click.id)).toEqual([]);
    const submit = h.fake.injectModalSubmit({
      customId: String(modal.data.custom_id),
      values: { reason: 'wrong\nsection' },
    });
    const ack = await answersTo(submit.id);
    expect(ack.ephemeral).toBe(true);
    expect(textOf(ack)).toMatch(/👎 is recorded/);
    const bad = (await store.ratingsSince(0)).find((r) => !r.good);
    expect(bad).toMatchObject({ reason: 'wrong section' });
  });

  it('a modal of a forgotten button says it has expired', async () => {
    const submit = h.fake.injectModalSubmit({
      customId: 'mq1:deadbeef.0',
      values: { reason: 'x' },
    });
    const note = await answersTo(submit.id);
    expect(note.ephemeral).toBe(true);
    expect(textOf(note)).toMatch(/expired/);
  });
});

describe('rate limit', () => {
  it('one notice when a user asks too fast, then silence; other users are not affected', async () => {
    const logs = recordingLogger();
    const limited = await startHarness({
      logs,
      router: createRouter({ logger: logs.logger }),
      adapter: { limits: new RateLimiter({ questionsPerMinute: 1, ratingsPerMinute: 1 }) },
    });
    try {
      const answer = await askedAnswer(limited);
      expect(answer.embeds[0]?.title).toMatch(/^5\. /);
      const notice = await askedAnswer(limited, 'and for 13B?');
      expect(textOf(notice)).toMatch(/asking faster than I answer \(at most 1 question a minute\)/);
      const quiet = limited.fake.injectMention('and for 70B?');
      const marker = limited.fake.injectSlash({ name: 'topics' });
      await limited.fake.waitFor(() =>
        limited.fake.messages.find((m) => m.interactionId === marker.id),
      );
      expect(limited.fake.messages.filter((m) => m.referenceId === quiet.id)).toEqual([]);
      // ratings have their own bucket: the first press counts, the second is limited
      const up = buttonsOf(answer)[0]!;
      const ok = limited.fake.injectButton({ customId: up.custom_id, message: answer });
      expect(
        textOf(
          await limited.fake.waitFor(() =>
            limited.fake.messages.find((m) => m.interactionId === ok.id),
          ),
        ),
      ).toMatch(/recorded/);
      const fast = limited.fake.injectButton({ customId: up.custom_id, message: answer });
      expect(
        textOf(
          await limited.fake.waitFor(() =>
            limited.fake.messages.find((m) => m.interactionId === fast.id),
          ),
        ),
      ).toMatch(/Too many ratings/);
      // a press past the notice is acknowledged without a message
      const silent = limited.fake.injectButton({ customId: up.custom_id, message: answer });
      await limited.fake.waitFor(() =>
        limited.fake.requests.find((r) => r.path.startsWith(`/interactions/${silent.id}/`)),
      );
      expect(limited.fake.messages.filter((m) => m.interactionId === silent.id)).toEqual([]);
    } finally {
      await limited.close();
    }
  });
});
