/**
 * The real discord.js client, driven by the adapter, against the loopback fake Discord:
 * login, slash commands, mentions, DMs, threads, buttons, long replies, mention safety.
 * The fake answers 400 for any payload over Discord's limits, so a violation fails here.
 */
import { GatewayIntentBits, Locale, MessageFlags } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DISCORD_LIMITS } from '../../../src/adapters/discord/index.js';
import { createRouter } from '../../../src/compose.js';
import { knowledgeBase } from '../../../src/knowledge/index.js';
import { buttonsOf, FAKE_IDS, FAKE_TOKEN, type SentMessage, textOf } from '../../fakes/discord.js';
import { AMBIGUOUS_CUE, CueMatcher } from '../../helpers/ambiguous-matcher.js';
import { type Harness, recordingLogger, sleep, startHarness } from './helpers.js';

let h: Harness;

beforeAll(async () => {
  const logs = recordingLogger();
  h = await startHarness({
    logs,
    router: createRouter({ logger: logs.logger, matcher: new CueMatcher() }),
  });
});

afterAll(async () => {
  await h?.close();
});

/** Every message sent for one interaction, once at least `count` have arrived. */
async function answersTo(interactionId: string, count = 1): Promise<SentMessage[]> {
  return h.fake.waitFor(() => {
    const found = h.fake.messages.filter((m) => m.interactionId === interactionId);
    return found.length >= count ? found : undefined;
  });
}

async function replyTo(messageId: string): Promise<SentMessage> {
  return h.fake.waitFor(() => h.fake.messages.find((m) => m.referenceId === messageId));
}

describe('login', () => {
  it('identifies with the four intents and the token, after fetching /gateway/bot as the bot', () => {
    const identify = h.fake.identifies[0]!;
    expect(identify.token).toBe(FAKE_TOKEN);
    for (const bit of [
      GatewayIntentBits.Guilds,
      GatewayIntentBits.GuildMessages,
      GatewayIntentBits.MessageContent,
      GatewayIntentBits.DirectMessages,
    ]) {
      expect(identify.intents & bit, `intent ${bit}`).toBe(bit);
    }
    const gateway = h.fake.requests.find((r) => r.path === '/gateway/bot')!;
    expect(gateway.authorization).toBe(`Bot ${FAKE_TOKEN}`);
    expect(h.fake.connections).toBe(1);
    expect(h.logs.lines.some((l) => l.msg === 'discord ready')).toBe(true);
    // the token never reaches the logs
    expect(h.logs.text()).not.toContain(FAKE_TOKEN);
  });
});

describe('slash commands', () => {
  it('/topic 5 → one public embed reply with the topic title, no pings', async () => {
    const i = h.fake.injectSlash({ name: 'topic', options: { n: 5, section: 'optimizer' } });
    const [reply] = await answersTo(i.id);
    expect(reply!.via).toBe('callback');
    expect(reply!.ephemeral).toBe(false);
    expect(reply!.embeds[0]!.title).toMatch(/^5\. /);
    expect(textOf(reply!)).toMatch(/Adam/);
    expect(reply!.allowedMentions).toEqual({ parse: [] });
  });

  it('/topic 5 in full is split across the reply and follow-ups, within limits, nothing lost', async () => {
    const i = h.fake.injectSlash({ name: 'topic', options: { n: 5 } });
    const doc = knowledgeBase().topics.find((t) => t.id === 5)!.docs.en;
    const total = doc.sections.reduce((n, s) => n + s.text.length + s.heading.length, 0);
    expect(total).toBeGreaterThan(DISCORD_LIMITS.description); // needs splitting
    const messages = await answersTo(i.id, 2);
    await sleep(100);
    const all = h.fake.messages.filter((m) => m.interactionId === i.id);
    expect(all[0]!.via).toBe('callback');
    expect(all.slice(1).every((m) => m.via === 'followup')).toBe(true);
    expect(messages.length).toBeGreaterThanOrEqual(2);
    const text = all.map(textOf).join('\n').replace(/\\(.)/g, '$1').replace(/\s+/g, '');
    for (const s of doc.sections) {
      expect(text).toContain(s.heading.replace(/\s+/g, ''));
      expect(text).toContain(s.text.replace(/\s+/g, ''));
    }
    expect(h.fake.failures).toEqual([]);
  });

  it('/help lists every command as fields; /help vram has one field per option', async () => {
    const i = h.fake.injectSlash({ name: 'help', options: { command: 'vram' } });
    const [reply] = await answersTo(i.id);
    const fields = reply!.embeds.flatMap((e) => e.fields ?? []);
    expect(fields.map((f) => f.name)).toEqual(
      expect.arrayContaining(['model', 'mode', 'lora\\_rank']),
    );
    expect(h.fake.failures).toEqual([]);
  });

  it('answers in Chinese for a zh-CN user', async () => {
    const i = h.fake.injectSlash({ name: 'topics', locale: Locale.ChineseCN });
    const [reply] = await answersTo(i.id);
    expect(reply!.embeds[0]!.title).toBe('十个主题');
    // ten topics → ten buttons in two rows of five
    expect(buttonsOf(reply!)).toHaveLength(10);
    expect(reply!.components).toHaveLength(2);
  });

  it('a user error (bad option value from the platform) is ephemeral and names the option', async () => {
    const i = h.fake.injectSlash({ name: 'topic', options: { n: 99 } });
    const [reply] = await answersTo(i.id);
    expect(reply!.via).toBe('callback');
    expect(reply!.ephemeral).toBe(true);
    expect(textOf(reply!)).toMatch(/\bn\b/);
    const wrongType = h.fake.injectSlash({ name: 'topic', options: { n: 'five' } });
    const [bad] = await answersTo(wrongType.id);
    expect(bad!.ephemeral).toBe(true);
    const unknown = h.fake.injectSlash({ name: 'nosuchcommand' });
    const [u] = await answersTo(unknown.id);
    expect(u!.ephemeral).toBe(true);
    expect(textOf(u!)).toContain('/help');
  });

  it('echoes @everyone and role mentions without pinging anyone', async () => {
    const i = h.fake.injectSlash({
      name: 'topic',
      options: { n: 5, section: '@everyone <@&123456789012345678> @here' },
    });
    const [reply] = await answersTo(i.id);
    expect(textOf(reply!)).toContain('@everyone');
    expect(reply!.allowedMentions).toEqual({ parse: [] });
  });

  it('a slash command in a DM is answered', async () => {
    const i = h.fake.injectSlash({ name: 'topic', options: { n: 1 }, dm: true });
    const [reply] = await answersTo(i.id);
    expect(reply!.channelId).toBe(FAKE_IDS.dmChannel);
    expect(reply!.embeds[0]!.title).toMatch(/^1\. /);
  });
});

describe('attachments with the real /chunk', () => {
  it('an attached .txt is downloaded, chunked, and chunks.jsonl comes back attached', async () => {
    const text = Array.from({ length: 40 }, (_, i) => `Sentence ${i} is about chunking.`).join(' ');
    const attachment = h.fake.addAttachment({ name: 'doc.txt', body: text });
    const i = h.fake.injectSlash({ name: 'chunk', options: { size: 200 }, attachment });
    const [reply] = await answersTo(i.id);
    expect(reply!.ephemeral).toBe(false);
    const jsonl = reply!.files.find((f) => f.name.endsWith('.jsonl'));
    expect(jsonl).toBeDefined();
    const lines = jsonl!.data.toString('utf8').trim().split('\n');
    expect(lines.length).toBeGreaterThan(1);
    expect(h.fake.failures).toEqual([]);
  });
});

describe('messages', () => {
  it('an @mention in a channel is answered as a reply, mention stripped (English)', async () => {
    const m = h.fake.injectMention('how much GPU memory does full fine-tuning need?');
    const reply = await replyTo(m.id);
    expect(reply.via).toBe('channel');
    expect(reply.channelId).toBe(FAKE_IDS.channel);
    expect(reply.embeds[0]!.title).toMatch(/^5\. /);
    expect(reply.allowedMentions).toMatchObject({ parse: [] });
  });

  it('a Chinese question gets a Chinese answer', async () => {
    const m = h.fake.injectMention('为什么SFT之后模型变笨了');
    const reply = await replyTo(m.id);
    expect(reply.embeds[0]!.title).toMatch(/^6\. /);
    expect(textOf(reply)).toMatch(/\p{Script=Han}{4}/u);
  });

  it('@everyone and <@&role> in a question are not parsed as mentions', async () => {
    const m = h.fake.injectMention('@everyone <@&123456789012345678> @here what is the weather?');
    const reply = await replyTo(m.id);
    expect(reply.allowedMentions).toMatchObject({ parse: [] });
    const request = h.fake.requests.find(
      (r) =>
        r.path === `/channels/${FAKE_IDS.channel}/messages` &&
        (r.body as { message_reference?: { message_id: string } }).message_reference?.message_id ===
          m.id,
    )!;
    expect((request.body as { allowed_mentions: unknown }).allowed_mentions).toMatchObject({
      parse: [],
    });
  });

  it('a DM is answered in the DM channel', async () => {
    const m = h.fake.injectMessage({ content: 'what is instruction tuning?', dm: true });
    const reply = await replyTo(m.id);
    expect(reply.channelId).toBe(FAKE_IDS.dmChannel);
    expect(reply.embeds[0]!.title).toMatch(/^\d+\. /);
  });

  it('a message in a thread the bot is in is answered in the thread', async () => {
    const m = h.fake.injectMessage({
      content: 'how do I avoid forgetting?',
      channelId: FAKE_IDS.thread,
    });
    const reply = await replyTo(m.id);
    expect(reply.channelId).toBe(FAKE_IDS.thread);
  });

  it('ignores channel messages without a mention, other threads, bots and itself', async () => {
    const ignored = [
      h.fake.injectMessage({ content: 'what is BERT?' }),
      h.fake.injectMessage({ content: 'what is BERT?', channelId: FAKE_IDS.otherThread }),
      h.fake.injectMessage({
        content: `<@${FAKE_IDS.bot}> what is BERT?`,
        author: { ...h.fake.user, id: '999999999999999999', bot: true },
      }),
      h.fake.injectMessage({ content: `<@${FAKE_IDS.bot}> hi`, author: h.fake.botUser }),
    ];
    // a DM after them: once it is answered, the earlier events have been handled
    const marker = h.fake.injectMessage({ content: 'what is BERT?', dm: true });
    await replyTo(marker.id);
    await sleep(50);
    for (const m of ignored) {
      expect(h.fake.messages.find((x) => x.referenceId === m.id)).toBeUndefined();
    }
  });

  it('a mention in a thread the bot is not in is answered there', async () => {
    const m = h.fake.injectMention('what is BERT?', { channelId: FAKE_IDS.otherThread });
    const reply = await replyTo(m.id);
    expect(reply.channelId).toBe(FAKE_IDS.otherThread);
  });

  it('the same MESSAGE_CREATE delivered twice is answered once', async () => {
    const m = h.fake.injectMessage({ content: 'what is SFT data?', dm: true });
    h.fake.injectMessage({ content: 'what is SFT data?', dm: true, id: m.id });
    await replyTo(m.id);
    const marker = h.fake.injectMessage({ content: 'what is BERT?', dm: true });
    await replyTo(marker.id);
    expect(h.fake.messages.filter((x) => x.referenceId === m.id)).toHaveLength(1);
  });
});

describe('buttons', () => {
  it('"did you mean" → a button click routes the chosen topic', async () => {
    const m = h.fake.injectMention(AMBIGUOUS_CUE);
    const reply = await replyTo(m.id);
    const buttons = buttonsOf(reply);
    expect(buttons.map((b) => b.label.split('.')[0])).toEqual(['9', '3']);
    const choice = buttons[1]!;
    const topic = /^(\d+)\./.exec(choice.label)![1];
    const click = h.fake.injectButton({ customId: choice.custom_id, message: reply });
    const [answer] = await answersTo(click.id);
    expect(answer!.embeds[0]!.title).toMatch(new RegExp(`^${topic}\\. `));
    expect(answer!.ephemeral).toBe(false);
  });

  it('a topic-number button from /topics opens that topic', async () => {
    const i = h.fake.injectSlash({ name: 'topics' });
    const [list] = await answersTo(i.id);
    const three = buttonsOf(list!).find((b) => b.label === '3')!;
    const click = h.fake.injectButton({ customId: three.custom_id, message: list! });
    const [answer] = await answersTo(click.id);
    expect(answer!.embeds[0]!.title).toMatch(/^3\. /);
  });

  it('an unknown or expired button gets an ephemeral note', async () => {
    const click = h.fake.injectButton({ customId: 'k0:deadbeef.0' });
    const [answer] = await answersTo(click.id);
    expect(answer!.ephemeral).toBe(true);
    expect(textOf(answer!)).toMatch(/expired/);
  });
});

describe('outbox', () => {
  it("posts a Reply to a channel or thread through the router's messenger", async () => {
    await h.router.messenger.post(
      { platform: 'discord', channelId: FAKE_IDS.channel, threadId: FAKE_IDS.thread },
      { kind: 'info', lang: 'en', title: 'Quiz', paragraphs: ['Question 1 of 5'] },
    );
    const posted = await h.fake.waitFor(() =>
      h.fake.messages.find((m) => m.via === 'channel' && m.embeds[0]?.title === 'Quiz'),
    );
    expect(posted.channelId).toBe(FAKE_IDS.thread);
    expect(posted.allowedMentions).toMatchObject({ parse: [] });
  });
});

describe('ephemeral flag', () => {
  it('is the only flag set on private replies', async () => {
    const i = h.fake.injectSlash({ name: 'lang', options: { lang: 'klingon' } });
    await answersTo(i.id);
    const request = h.fake.requests.find((r) => r.path.startsWith(`/interactions/${i.id}/`))!;
    expect((request.body as { data: { flags: number } }).data.flags).toBe(MessageFlags.Ephemeral);
  });
});
