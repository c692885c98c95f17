/**
 * The hard paths, end to end against the fake: slow answers (deferReply + editReply within
 * a shrunken ack deadline), late and duplicate interactions, listeners that throw,
 * attachments (oversize, lying sizes, binary), reply files, long button actions, and a
 * clean stop.
 */
import { type APIUser, Locale, MessageFlags, PermissionFlagsBits } from 'discord-api-types/v10';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createRouter } from '../../../src/compose.js';
import { defineCommand, option } from '../../../src/core/command.js';
import { defaultCommands, type Reply, type Router } from '../../../src/core/index.js';
import {
  buttonsOf,
  EVERYONE_PERMISSIONS,
  FAKE_IDS,
  fakeUser,
  type SentMessage,
  textOf,
} from '../../fakes/discord.js';
import { type Harness, recordingLogger, sleep, startHarness } from './helpers.js';

const slowCommand = defineCommand({
  name: 'slow',
  description: { en: 'Answer after a delay (test only)', zh: '延迟回答(仅测试)' },
  schema: z.object({
    ms: option(z.coerce.number().int().min(0).max(5000).default(400), 'Delay', '延迟'),
    fail: option(z.enum(['no', 'yes']).default('no'), 'Answer with a user error', '返回用户错误'),
    long: option(z.enum(['no', 'yes']).default('no'), 'A long answer', '长回答'),
  }),
  run: async (args): Promise<Reply> => {
    await sleep(args.ms);
    if (args.fail === 'yes') {
      return { kind: 'error', lang: 'en', ephemeral: true, paragraphs: ['ms is fine, but no.'] };
    }
    const paragraphs =
      args.long === 'yes'
        ? Array.from({ length: 30 }, (_, i) => `Paragraph ${i}: ${'lorem ipsum '.repeat(40)}`)
        : ['Done slowly.'];
    return { kind: 'answer', lang: 'en', title: 'Slow', paragraphs };
  },
});

const LONG_QUESTION = `/ask ${'how much GPU memory does full fine-tuning of a 7B model need '.repeat(3).trim()}`;

const fileCommand = defineCommand({
  name: 'readfile',
  description: { en: 'Read an attached text file (test only)', zh: '读取附件(仅测试)' },
  schema: z.object({
    file: option(z.string().optional(), 'A text file', '文本文件'),
    text: option(z.string().optional(), 'Text', '文本'),
  }),
  run: (_args, ctx): Reply => {
    const files = ctx.incoming.files ?? [];
    return {
      kind: 'answer',
      lang: 'en',
      paragraphs: files.map((f) => `${f.name}: ${f.text.length} chars`),
      files: [{ name: 'out.jsonl', content: '{"n":1}\n{"n":2}\n' }],
      choices: [{ label: 'Ask the long question', action: LONG_QUESTION }],
    };
  },
});

/** Shows where the core thinks a message came from. */
const whereCommand = defineCommand({
  name: 'whereami',
  description: { en: 'Where am I (test only)', zh: '我在哪(仅测试)' },
  schema: z.object({}),
  run: (_args, ctx): Reply => ({
    kind: 'info',
    lang: ctx.lang,
    paragraphs: [
      JSON.stringify({
        channel: ctx.incoming.channel,
        lang: ctx.incoming.lang ?? null,
        user: ctx.incoming.user,
      }),
    ],
  }),
});

function testRouter(logger: ReturnType<typeof recordingLogger>['logger']): Router {
  const router = createRouter({
    logger,
    commands: [...defaultCommands, slowCommand, fileCommand, whereCommand],
  });
  const handle = router.handle.bind(router);
  // a listener that throws: the router itself never does, so a wrapper does it
  router.handle = async (incoming) => {
    if (incoming.text.includes('boom')) throw new Error('boom (test)');
    return handle(incoming);
  };
  return router;
}

const rejections: unknown[] = [];
const onRejection = (reason: unknown) => rejections.push(reason);

let h: Harness;

beforeAll(async () => {
  process.on('unhandledRejection', onRejection);
  const logs = recordingLogger();
  h = await startHarness({
    fake: { ackDeadlineMs: 500 },
    logs,
    router: testRouter(logs.logger),
    adapter: { deferAfterMs: 60 },
  });
});

afterAll(async () => {
  await h?.close();
  process.off('unhandledRejection', onRejection);
});

afterEach(() => {
  expect(rejections).toEqual([]);
});

async function answersTo(interactionId: string, count = 1): Promise<SentMessage[]> {
  return h.fake.waitFor(() => {
    const found = h.fake.messages.filter((m) => m.interactionId === interactionId);
    return found.length >= count ? found : undefined;
  });
}

const requestsFor = (id: string, token: string) =>
  h.fake.requests.filter((r) => r.path.includes(`/${id}/`) || r.path.includes(`/${token}`));

describe('acknowledging within the deadline', () => {
  it('a slow command is deferred, then the placeholder is edited (deadline shrunk to 500 ms)', async () => {
    const t0 = Date.now();
    const i = h.fake.injectSlash({ name: 'slow', options: { ms: 700 } });
    const [edit] = await answersTo(i.id);
    expect(edit!.via).toBe('edit');
    expect(textOf(edit!)).toContain('Done slowly.');
    const calls = requestsFor(i.id, i.token);
    expect(calls.map((r) => `${r.method} ${r.status}`)).toEqual(['POST 204', 'PATCH 200']);
    expect((calls[0]!.body as { type: number }).type).toBe(5);
    expect(calls[0]!.at - t0).toBeLessThan(500);
  });

  it('a fast command is answered directly (no defer)', async () => {
    const i = h.fake.injectSlash({ name: 'slow', options: { ms: 0 } });
    const [reply] = await answersTo(i.id);
    expect(reply!.via).toBe('callback');
  });

  it('a slow user error: the public placeholder is deleted, the detail is an ephemeral follow-up', async () => {
    const i = h.fake.injectSlash({ name: 'slow', options: { ms: 600, fail: 'yes' } });
    const [reply] = await answersTo(i.id);
    expect(reply!.via).toBe('followup');
    expect(reply!.ephemeral).toBe(true);
    expect(textOf(reply!)).toContain('no.');
    const calls = requestsFor(i.id, i.token).map((r) => `${r.method} ${r.status}`);
    expect(calls).toEqual(['POST 204', 'DELETE 204', 'POST 200']);
  });

  it('a slow long answer: the edit and follow-ups all stay within limits', async () => {
    const i = h.fake.injectSlash({ name: 'slow', options: { ms: 600, long: 'yes' } });
    const messages = await answersTo(i.id, 3);
    expect(messages[0]!.via).toBe('edit');
    expect(messages.slice(1).every((m) => m.via === 'followup' && !m.ephemeral)).toBe(true);
    await sleep(50);
    const text = h.fake.messages
      .filter((m) => m.interactionId === i.id)
      .map(textOf)
      .join('\n');
    expect(text).toContain('Paragraph 0:');
    expect(text).toContain('Paragraph 29:');
    expect(h.fake.failures.filter((r) => r.path.includes(i.token))).toEqual([]);
  });

  it('without deferring, the fake rejects the late callback with 10062 (the deadline is real)', async () => {
    const logs = recordingLogger();
    const other = await startHarness({
      fake: { ackDeadlineMs: 150 },
      logs,
      router: testRouter(logs.logger),
      adapter: { deferAfterMs: 2000 },
    });
    try {
      const i = other.fake.injectSlash({ name: 'slow', options: { ms: 300 } });
      const failed = await other.fake.waitFor(() =>
        other.fake.failures.find((r) => r.path.startsWith(`/interactions/${i.id}/`)),
      );
      expect(failed.status).toBe(404);
      expect(failed.response).toMatchObject({ code: 10062 });
      const failure = await other.fake.waitFor(() =>
        logs.lines.find((l) => l.msg === 'discord listener failed'),
      );
      expect(failure).toMatchObject({
        event: 'interactionCreate',
        interaction: i.id,
        command: 'slow',
        err: { code: 10062, status: 404 },
      });
      // the interaction token never reaches the logs
      expect(logs.text()).not.toContain(i.token);
    } finally {
      await other.close();
    }
  });

  it('an interaction delivered after its deadline is logged, nothing crashes', async () => {
    const i = h.fake.injectSlash({ name: 'topic', options: { n: 2 }, ageMs: 10_000 });
    const logged = await h.fake.waitFor(() =>
      h.logs.lines.find((l) => l.msg === 'discord listener failed' && l.interaction === i.id),
    );
    expect(logged).toMatchObject({ err: { code: 10062 } });
    // no apology: the interaction is gone, so one callback attempt only
    await sleep(50);
    expect(h.fake.requests.filter((r) => r.path.includes(i.token))).toHaveLength(1);
    expect(h.fake.messages.filter((m) => m.interactionId === i.id)).toEqual([]);
  });

  it('the same interaction delivered twice is acknowledged once (no 40060)', async () => {
    const i = h.fake.injectSlash({ name: 'topic', options: { n: 2, section: '1' } });
    h.fake.injectSlash({ name: 'topic', options: { n: 2 }, replay: { id: i.id, token: i.token } });
    await answersTo(i.id);
    await sleep(100);
    const callbacks = h.fake.requests.filter((r) => r.path.startsWith(`/interactions/${i.id}/`));
    expect(callbacks).toHaveLength(1);
    expect(h.fake.failures.filter((r) => r.path.includes(i.id))).toEqual([]);
  });
});

describe('a listener that throws', () => {
  it('a mention: apology reply, error logged with context, bot keeps answering', async () => {
    const m = h.fake.injectMention('boom');
    const apology = await h.fake.waitFor(() => h.fake.messages.find((x) => x.referenceId === m.id));
    expect(apology.content).toMatch(/Sorry/);
    expect(apology.allowedMentions).toMatchObject({ parse: [] });
    const logged = h.logs.lines.find(
      (l) => l.msg === 'discord listener failed' && l.message === m.id,
    )!;
    expect(logged).toMatchObject({ event: 'messageCreate', channel: FAKE_IDS.channel });
    expect((logged.err as { message: string }).message).toBe('boom (test)');
    const next = h.fake.injectMention('what is BERT?');
    await h.fake.waitFor(() => h.fake.messages.find((x) => x.referenceId === next.id));
  });

  it('a slash command: an ephemeral apology', async () => {
    const i = h.fake.injectSlash({ name: 'ask', options: { question: 'boom' } });
    const [apology] = await answersTo(i.id);
    expect(apology!.ephemeral).toBe(true);
    expect(apology!.content).toMatch(/Sorry/);
  });
});

describe('attachments', () => {
  it('a text file for a `file` option is downloaded into incoming.files', async () => {
    const attachment = h.fake.addAttachment({ name: 'notes.md', body: '# Notes\nhello 世界\n' });
    const i = h.fake.injectSlash({ name: 'readfile', attachment });
    const [reply] = await answersTo(i.id);
    expect(textOf(reply!)).toContain('notes.md: 17 chars');
  });

  it('reply files are attached; a long button action goes through the action map', async () => {
    const i = h.fake.injectSlash({ name: 'readfile' });
    const [reply] = await answersTo(i.id);
    expect(reply!.files.map((f) => [f.name, f.data.toString('utf8')])).toEqual([
      ['out.jsonl', '{"n":1}\n{"n":2}\n'],
    ]);
    const [button] = buttonsOf(reply!);
    expect(LONG_QUESTION.length).toBeGreaterThan(100);
    expect(button!.custom_id.length).toBeLessThanOrEqual(100);
    const click = h.fake.injectButton({ customId: button!.custom_id, message: reply! });
    const [answer] = await answersTo(click.id);
    expect(answer!.embeds[0]!.title).toMatch(/^5\. /);
  });

  it('an attachment announced over 2 MiB is refused without downloading it', async () => {
    const attachment = h.fake.addAttachment({
      name: 'big.txt',
      body: 'x',
      declaredSize: 3 * 1024 * 1024,
    });
    const i = h.fake.injectSlash({ name: 'readfile', attachment });
    const [reply] = await answersTo(i.id);
    expect(reply!.ephemeral).toBe(true);
    expect(textOf(reply!)).toContain(
      '"big.txt" is 3,145,728 bytes; the limit is 2,097,152 bytes (2 MiB)',
    );
    expect(h.fake.requests.some((r) => r.path.startsWith(`/attachments/${attachment.id}`))).toBe(
      false,
    );
  });

  it('an attachment whose real size exceeds its announced size is cut off while reading', async () => {
    const attachment = h.fake.addAttachment({
      name: 'liar.txt',
      body: Buffer.alloc(2 * 1024 * 1024 + 10, 'a'),
      declaredSize: 100,
    });
    const i = h.fake.injectSlash({ name: 'readfile', attachment });
    const [reply] = await answersTo(i.id);
    expect(reply!.ephemeral).toBe(true);
    expect(textOf(reply!)).toContain('is more than 2,097,152 bytes, the limit (2 MiB)');
  });

  it('a binary attachment is refused as not text', async () => {
    const attachment = h.fake.addAttachment({
      name: 'image.png',
      body: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0xff, 0xfe]),
    });
    const i = h.fake.injectSlash({ name: 'readfile', attachment });
    const [reply] = await answersTo(i.id);
    expect(textOf(reply!)).toMatch(/not a UTF-8 text file/);
  });

  it('a mention with a command that takes a file reads the attached file', async () => {
    const attachment = h.fake.addAttachment({ name: 'a.txt', body: 'abc' });
    const m = h.fake.injectMessage({
      content: `<@${FAKE_IDS.bot}> /readfile`,
      attachments: [attachment],
    });
    const reply = await h.fake.waitFor(() => h.fake.messages.find((x) => x.referenceId === m.id));
    expect(textOf(reply)).toContain('a.txt: 3 chars');
  });
});

describe('where a message came from', () => {
  const where = (m: SentMessage) =>
    JSON.parse(m.embeds[0]!.description!.replace(/\\(.)/g, '$1')) as {
      channel: { id: string; threadId?: string; isDM: boolean };
      lang: string | null;
      user: { id: string; name?: string; moderator?: boolean };
    };

  it('a slash command in a thread: the parent channel plus the thread; locale zh-TW → zh', async () => {
    const i = h.fake.injectSlash({
      name: 'whereami',
      channelId: FAKE_IDS.thread,
      locale: Locale.ChineseTW,
    });
    const [reply] = await answersTo(i.id);
    expect(where(reply!)).toEqual({
      channel: { id: FAKE_IDS.channel, threadId: FAKE_IDS.thread, isDM: false },
      lang: 'zh',
      user: { id: FAKE_IDS.user, name: 'Learner', moderator: false },
    });
  });

  it('moderator: Manage Messages or Administrator in the channel; never in a DM', async () => {
    const as = async (opts: { permissions?: string; dm?: boolean }) => {
      const i = h.fake.injectSlash({ name: 'whereami', ...opts });
      return where((await answersTo(i.id))[0]!).user.moderator;
    };
    expect(await as({})).toBe(false); // @everyone's permissions
    const manage = BigInt(EVERYONE_PERMISSIONS) | PermissionFlagsBits.ManageMessages;
    expect(await as({ permissions: String(manage) })).toBe(true);
    expect(await as({ permissions: String(PermissionFlagsBits.Administrator) })).toBe(true);
    expect(await as({ permissions: String(PermissionFlagsBits.ManageChannels) })).toBe(false);
    expect(await as({ permissions: '0' })).toBe(false);
    expect(await as({ dm: true })).toBe(false);
    // messages: computed from the cached guild (the owner has every permission)
    const said = async (opts: { author?: APIUser; dm?: boolean }) => {
      const m = h.fake.injectMessage({ content: `<@${FAKE_IDS.bot}> /whereami`, ...opts });
      const reply = await h.fake.waitFor(() => h.fake.messages.find((x) => x.referenceId === m.id));
      return where(reply).user.moderator;
    };
    expect(await said({})).toBe(true);
    expect(await said({ author: fakeUser('666666666666666609', 'Member') })).toBe(false);
    expect(await said({ dm: true })).toBe(false);
  });

  it('a slash command in a DM; a locale without a language of ours → detection', async () => {
    const i = h.fake.injectSlash({ name: 'whereami', dm: true, locale: Locale.French });
    const [reply] = await answersTo(i.id);
    expect(where(reply!)).toMatchObject({
      channel: { id: FAKE_IDS.dmChannel, isDM: true },
      lang: null,
    });
  });

  it('a thread the bot is added to later: its messages are answered in it', async () => {
    const thread = h.fake.createThread({ joined: true });
    const m = h.fake.injectMessage({ content: '/whereami', channelId: thread });
    const reply = await h.fake.waitFor(() => h.fake.messages.find((x) => x.referenceId === m.id));
    expect(reply.channelId).toBe(thread);
    expect(where(reply).channel).toEqual({ id: FAKE_IDS.channel, threadId: thread, isDM: false });
  });
});

describe('stop()', () => {
  it('closes the gateway, ignores later events, and leaves no handles behind', async () => {
    const before = process.getActiveResourcesInfo().filter((r) => r !== 'TTYWrap');
    const logs = recordingLogger();
    const t0 = performance.now();
    const local = await startHarness({ logs, router: testRouter(logs.logger) });
    const startMs = performance.now() - t0;
    const i = local.fake.injectSlash({ name: 'topic', options: { n: 3 } });
    await local.fake.waitFor(() => local.fake.messages.find((m) => m.interactionId === i.id));
    await local.bot.stop();
    await local.bot.stop(); // twice is fine
    await local.fake.waitFor(() => local.fake.connections === 0);
    const late = local.fake.injectMention('anyone there?');
    await sleep(50);
    expect(local.fake.messages.find((m) => m.referenceId === late.id)).toBeUndefined();
    await local.fake.stop();
    await sleep(20);
    const after = process.getActiveResourcesInfo().filter((r) => r !== 'TTYWrap');
    const count = (list: string[], kind: string) => list.filter((r) => r === kind).length;
    for (const kind of new Set([...before, ...after])) {
      expect(count(after, kind), kind).toBeLessThanOrEqual(count(before, kind));
    }
    expect(startMs).toBeLessThan(2000);
  });
});

describe('ephemeral replies', () => {
  it('carry exactly the ephemeral flag on the callback', async () => {
    const i = h.fake.injectSlash({ name: 'topic', options: { n: 0 } });
    await answersTo(i.id);
    const call = h.fake.requests.find((r) => r.path.startsWith(`/interactions/${i.id}/`))!;
    expect((call.body as { data: { flags: number } }).data.flags).toBe(MessageFlags.Ephemeral);
  });
});
