/**
 * 👍/👎 on Slack with the real Bolt app against the fake: buttons under an answer, a press
 * recorded once per user, the 👎 modal (views.open) and its view_submission, and the per-user
 * rate limit of the adapter kit.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RateLimiter } from '../../../src/adapters/kit/index.js';
import { createRouter, memoryStore } from '../../../src/compose.js';
import type { Store } from '../../../src/store/types.js';
import { type Outgoing, visibleText } from '../../fakes/slack.js';
import { type Pair, startPair } from './helpers.js';

const QUESTION = 'how much GPU memory does full fine-tuning of a 7B model need?';

let p: Pair;
let store: Store;
beforeAll(async () => {
  store = memoryStore();
  p = await startPair({ router: (logger) => createRouter({ logger, store }) });
});
afterAll(async () => {
  await p?.close();
  await store?.close();
});

async function next(pair: Pair, from: number, n = 1): Promise<Outgoing[]> {
  await pair.fake.waitFor(() => pair.fake.outgoing.length >= from + n, 15_000);
  return pair.fake.outgoing.slice(from);
}

const text = (m: Outgoing) => `${m.text}\n${visibleText(m.blocks)}`;

async function ask(pair: Pair, question = QUESTION, user = 'U0ASK001'): Promise<Outgoing> {
  const from = pair.fake.outgoing.length;
  await pair.fake.event(pair.fake.dm(question, { user, channel: 'D0ASK001' }));
  const [m] = await next(pair, from);
  return m!;
}

function buttons(m: Outgoing) {
  return m.blocks
    .filter((b) => b.type === 'actions')
    .flatMap((b) => b.elements ?? [])
    .map((e) => ({
      label: typeof e.text === 'string' ? e.text : (e.text?.text ?? ''),
      value: e.value ?? '',
      actionId: e.action_id ?? '',
    }));
}

type Button = ReturnType<typeof buttons>[number];

/** A click on `button` by `user` in `channel`. */
function press(button: Button, user: string, channel = 'D0ASK001') {
  return p.fake.blockAction(button.value, { actionId: button.actionId, user, channel });
}

describe('Slack 👍 / 👎', () => {
  it('an answer carries two buttons; a press is recorded once per user', async () => {
    const answer = await ask(p);
    const [row] = await store.questionsSince(0);
    expect(buttons(answer)).toEqual([
      { label: '👍', value: `/rate good answer=${row!.id}`, actionId: 'llm-tutor.choice.0' },
      { label: '👎', value: `/rate bad answer=${row!.id}`, actionId: 'llm-tutor.reason.1' },
    ]);
    const up = buttons(answer)[0]!;
    const from = p.fake.outgoing.length;
    await press(up, 'U0RATE01');
    const [ack] = await next(p, from);
    expect(ack!.response_type).toBe('ephemeral');
    expect(text(ack!)).toMatch(/👍 is recorded/);
    const from2 = p.fake.outgoing.length;
    await press(up, 'U0RATE01');
    expect(text((await next(p, from2))[0]!)).toMatch(/already rated/);
    expect(await store.ratingsSince(0)).toHaveLength(1);
  });

  it('👎 opens a modal; its submission records the reason and answers privately', async () => {
    const answer = await ask(p, 'why does my model get dumber after SFT');
    const down = buttons(answer)[1]!;
    const before = p.fake.outgoing.length;
    await press(down, 'U0RATE02', 'C0CHANNEL');
    const opened = await p.fake.waitFor(() => p.fake.views.at(-1), 15_000);
    expect(opened.view).toMatchObject({ type: 'modal', title: { text: 'What was wrong?' } });
    expect(p.fake.outgoing.length).toBe(before);
    const from = p.fake.outgoing.length;
    const r = await p.fake.viewSubmission(
      opened,
      { reason: 'wrong  section' },
      { user: 'U0RATE02' },
    );
    expect(r.status).toBe(200);
    const [ack] = await next(p, from);
    expect(ack).toMatchObject({
      via: 'chat.postEphemeral',
      channel: 'C0CHANNEL',
      user: 'U0RATE02',
    });
    expect(text(ack!)).toMatch(/👎 is recorded/);
    expect((await store.ratingsSince(0)).find((x) => !x.good)).toMatchObject({
      reason: 'wrong section',
    });
  });

  it('an empty reason is fine, and a form without its action is ignored', async () => {
    const answer = await ask(p, 'what is a token');
    const down = buttons(answer)[1]!;
    await press(down, 'U0RATE03', 'C0CHANNEL');
    const opened = await p.fake.waitFor(
      () => p.fake.views.find((v) => String(v.view.private_metadata).includes(down.value)),
      15_000,
    );
    const from = p.fake.outgoing.length;
    await p.fake.viewSubmission(opened, { reason: null }, { user: 'U0RATE03' });
    expect(text((await next(p, from))[0]!)).toMatch(/👎 is recorded/);
    const broken = { ...opened, view: { ...opened.view, private_metadata: 'not json' } };
    const from2 = p.fake.outgoing.length;
    expect((await p.fake.viewSubmission(broken, { reason: 'x' })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 150));
    expect(p.fake.outgoing.length).toBe(from2);
  });
});

describe('Slack rate limit', () => {
  it('one notice when a user asks too fast, then silence', async () => {
    const limited = await startPair({
      router: (logger) => createRouter({ logger }),
      adapter: { limits: new RateLimiter({ questionsPerMinute: 1, ratingsPerMinute: 1 }) },
    });
    try {
      expect(text(await ask(limited))).toMatch(/^5\. |5\. /);
      expect(text(await ask(limited, 'and for 13B?'))).toMatch(/at most 1 question a minute/);
      const from = limited.fake.outgoing.length;
      await limited.fake.event(
        limited.fake.dm('and for 70B?', { user: 'U0ASK001', channel: 'D0ASK001' }),
      );
      await new Promise((r) => setTimeout(r, 200));
      expect(limited.fake.outgoing.length).toBe(from);
      expect(text(await ask(limited, 'and for 70B?', 'U0OTHER1'))).not.toMatch(/faster than/);
    } finally {
      await limited.close();
    }
  });
});
