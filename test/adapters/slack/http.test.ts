/**
 * End to end, HTTP mode: the real Bolt app (HTTPReceiver + WebClient) against the fake Slack.
 * Requests are signed like Slack's; replies are checked by the fake against Block Kit limits.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSlack } from '../../../src/adapters/slack/index.js';
import { createRouter } from '../../../src/compose.js';
import { parseConfig } from '../../../src/core/config.js';
import { defaultCommands } from '../../../src/core/index.js';
import { createLogger } from '../../../src/core/log.js';
import { FakeSlack, type Outgoing, visibleText } from '../../fakes/slack.js';
import { AMBIGUOUS_CUE, CueMatcher } from '../../helpers/ambiguous-matcher.js';
import { explodingRouter, type Pair, startPair, testCommands } from './helpers.js';

let p: Pair;
beforeAll(async () => {
  p = await startPair({
    fake: { locales: { U0ZH0001: 'zh-CN', U0TW0001: 'zh-TW' } },
    router: (logger) =>
      createRouter({
        logger,
        matcher: new CueMatcher(),
        commands: [...defaultCommands, ...testCommands],
      }),
  });
});
afterAll(async () => {
  await p?.close();
});

/** Wait until `n` more messages than `from` have been sent; return the new ones. */
async function sent(from: number, n = 1, timeoutMs = 3000): Promise<Outgoing[]> {
  await p.fake.waitFor(() => p.fake.outgoing.length >= from + n, timeoutMs);
  return p.fake.outgoing.slice(from);
}

/** Let in-flight work settle, then prove nothing more was sent. */
async function quiet(ms = 150): Promise<void> {
  await new Promise((r) => setTimeout(r, ms));
}

const text = (m: Outgoing) => `${visibleText(m.blocks)}`;
const header = (m: Outgoing) => m.blocks.find((b) => b.type === 'header')?.text?.text ?? '';

describe('Slack HTTP mode: requests', () => {
  it('answers the signed url_verification handshake', async () => {
    const r = await p.fake.urlVerification('challenge-123');
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toEqual({ challenge: 'challenge-123' });
  });

  it('refuses a bad signature with 401 and routes nothing', async () => {
    const from = p.fake.outgoing.length;
    const r = await p.fake.slashCommand('/topic', '5', {}, { signature: `v0=${'0'.repeat(64)}` });
    expect(r.status).toBe(401);
    const unsigned = await p.fake.urlVerification('x', { signature: 'nonsense' });
    expect(unsigned.status).toBe(401);
    await quiet();
    expect(p.fake.outgoing.length).toBe(from);
  });

  it('refuses a timestamp older than 5 minutes with 401 (replay window)', async () => {
    const from = p.fake.outgoing.length;
    const old = Math.floor(Date.now() / 1000) - 6 * 60;
    const r = await p.fake.slashCommand('/topic', '5', {}, { timestamp: old });
    expect(r.status).toBe(401);
    // Correctly signed, but old: the signature alone is not enough.
    const ev = await p.fake.event(p.fake.mention('what is SFT?'), { timestamp: old });
    expect(ev.status).toBe(401);
    await quiet();
    expect(p.fake.outgoing.length).toBe(from);
    // Within the window it works.
    const fresh = Math.floor(Date.now() / 1000) - 4 * 60;
    expect((await p.fake.urlVerification('ok', { timestamp: fresh })).status).toBe(200);
  });
});

describe('Slack HTTP mode: slash commands', () => {
  it('/topic 5: acks at once with an empty 200, then responds in the channel with blocks', async () => {
    const from = p.fake.outgoing.length;
    const r = await p.fake.slashCommand('/topic', '5');
    expect(r.status).toBe(200);
    expect(r.body).toBe('');
    expect(r.ms).toBeLessThan(3000);
    const [m] = await sent(from);
    expect(m!.via).toBe('response_url');
    expect(m!.ok).toBe(true);
    expect(m!.response_type).toBe('in_channel');
    expect(m!.replace_original).toBe(false);
    expect(header(m!)).toMatch(/^5\. /);
    expect(m!.blocks.map((b) => b.type)).toEqual(
      expect.arrayContaining(['header', 'section', 'context']),
    );
    expect(text(m!)).toMatch(/Adam/);
    expect(m!.text.length).toBeGreaterThan(0);
    expect(m!.text.length).toBeLessThanOrEqual(320);
  });

  it('a bad option value comes back as an ephemeral error naming the option', async () => {
    const from = p.fake.outgoing.length;
    await p.fake.slashCommand('/topic', '99');
    const [m] = await sent(from);
    expect(m!.response_type).toBe('ephemeral');
    expect(text(m!)).toContain('"n"');
    expect(text(m!)).toMatch(/1–10/);
    const from2 = p.fake.outgoing.length;
    await p.fake.slashCommand('/topic', '');
    const [missing] = await sent(from2);
    expect(missing!.response_type).toBe('ephemeral');
    expect(text(missing!)).toMatch(/"n" is required/);
  });

  it('uses the user locale (zh-CN, zh-TW → zh) for the reply language', async () => {
    const from = p.fake.outgoing.length;
    await p.fake.slashCommand('/topics', '', { user_id: 'U0ZH0001' });
    await p.fake.slashCommand('/topics', '', { user_id: 'U0TW0001' });
    await p.fake.slashCommand('/topics', '', { user_id: 'U0EN0001' });
    const out = await sent(from, 3);
    expect(out.map(header).sort()).toEqual(['The ten topics', '十个主题', '十个主题'].sort());
  });

  it('accepts a prefixed install (/tutor-topic → /topic)', async () => {
    const from = p.fake.outgoing.length;
    await p.fake.slashCommand('/tutor-topic', '2');
    const [m] = await sent(from);
    expect(header(m!)).toMatch(/^2\. /);
  });

  it('/topic 8 and /help fit the limits (the fake rejects anything over)', async () => {
    for (const [cmd, args] of [
      ['/topic', '8'],
      ['/topic', '8 lang=zh'],
      ['/help', ''],
      ['/help', 'vram'],
    ] as const) {
      const from = p.fake.outgoing.length;
      await p.fake.slashCommand(cmd, args);
      const out = await sent(from);
      await quiet(50);
      for (const m of p.fake.outgoing.slice(from)) expect(m.ok, `${cmd} ${args}`).toBe(true);
      expect(out[0]!.blocks.length).toBeLessThanOrEqual(50);
    }
    // Every section of topic 8 arrived.
    const topic = p.router.knowledge.topics.find((t) => t.id === 8)!;
    const from = p.fake.outgoing.length;
    await p.fake.slashCommand('/topic', '8');
    const all = (await sent(from)).map(text).join('\n');
    for (const s of topic.docs.en.sections) expect(all).toContain(s.heading);
  });

  it('splits a huge reply over several messages: response_url (5) then the Web API, in order', async () => {
    const from = p.fake.outgoing.length;
    await p.fake.slashCommand('/huge', '');
    await p.fake.waitFor(() => p.fake.outgoing.length - from >= 7, 5000);
    await quiet(100);
    const out = p.fake.outgoing.slice(from);
    expect(out.every((m) => m.ok)).toBe(true);
    const viaUrl = out.filter((m) => m.via === 'response_url');
    expect(viaUrl).toHaveLength(5);
    expect(out.slice(0, 5).every((m) => m.via === 'response_url')).toBe(true);
    expect(out.slice(5).every((m) => m.via === 'chat.postMessage')).toBe(true);
    for (const m of out) expect(m.blocks.length).toBeLessThanOrEqual(50);
    const all = out.map(text).join('\n');
    // Nothing lost, in order: every paragraph, every field, every button, the file note.
    let at = -1;
    for (let i = 1; i <= 120; i++) {
      const next = all.indexOf(`Paragraph ${i}. `);
      expect(next, `paragraph ${i}`).toBeGreaterThan(at);
      at = next;
    }
    for (let i = 1; i <= 23; i++) expect(all).toContain(`*field ${i}*`);
    for (let i = 1; i <= 30; i++) expect(all).toContain(`Topic ${i}`);
    expect(all).toContain('line 300 ');
    // The file is attached in the channel, so no "cannot be attached" note.
    expect(all).not.toContain('cannot be attached');
    const upload = await p.fake.waitFor(() =>
      p.fake.uploads.find((u) => u.filename === 'huge.jsonl' && u.completed),
    );
    expect(upload.channel_id).toBe('C0CHANNEL');
    expect(upload.content).toBe('{"a":1}\n'.repeat(2000));
    expect(all).toContain('&amp; &lt;b&gt;');
    expect(all).not.toContain('<b>');
    expect(out[0]!.text).toMatch(/^\(1\/\d+\) /);
  });

  it('a command that throws gets the apology (ephemeral) and the bot keeps working', async () => {
    const from = p.fake.outgoing.length;
    await p.fake.slashCommand('/boom', '');
    const [m] = await sent(from);
    expect(m!.response_type).toBe('ephemeral');
    expect(text(m!)).toMatch(/Sorry/);
    expect(p.logs.some((l) => l.msg === 'router error')).toBe(true);
    const from2 = p.fake.outgoing.length;
    await p.fake.slashCommand('/topic', '1');
    expect(header((await sent(from2))[0]!)).toMatch(/^1\. /);
  });

  it('an unknown slash command is answered, not left to time out', async () => {
    const from = p.fake.outgoing.length;
    const r = await p.fake.slashCommand('/nonsense', 'x');
    expect(r.status).toBe(200);
    const [m] = await sent(from);
    expect(m!.response_type).toBe('ephemeral');
    expect(text(m!)).toContain('/help');
  });
});

describe('Slack HTTP mode: mentions and direct messages', () => {
  it('answers an app_mention in its thread (thread_ts = ts), mention stripped', async () => {
    const from = p.fake.outgoing.length;
    const event = p.fake.mention('how much GPU memory does full fine-tuning of a 7B model need?');
    const r = await p.fake.event(event);
    expect(r.status).toBe(200);
    const [m] = await sent(from);
    expect(m!.via).toBe('chat.postMessage');
    expect(m!.channel).toBe('C0CHANNEL');
    expect(m!.thread_ts).toBe(event.ts);
    expect(header(m!)).toMatch(/^5\. /);
    const call = p.fake.callsTo('chat.postMessage').at(-1)!;
    expect(call.token).toBe(p.fake.botToken);
  });

  it('answers inside an existing thread with that thread_ts', async () => {
    const from = p.fake.outgoing.length;
    await p.fake.event(p.fake.mention('/topic 3', { thread_ts: '1600000000.000001' }));
    const [m] = await sent(from);
    expect(m!.thread_ts).toBe('1600000000.000001');
    expect(header(m!)).toMatch(/^3\. /);
  });

  it('answers in the language of the question (Chinese and English)', async () => {
    const from = p.fake.outgoing.length;
    await p.fake.event(p.fake.mention('为什么SFT之后模型变笨了', { user: 'U0MIXED1' }));
    const [zh] = await sent(from);
    expect(header(zh!)).toMatch(/^6\. .*[\u4e00-\u9fff]/u);
    const from2 = p.fake.outgoing.length;
    await p.fake.event(
      p.fake.mention('why does my model get dumber after SFT?', { user: 'U0MIXED2' }),
    );
    const [en] = await sent(from2);
    expect(header(en!)).toMatch(/^6\. Why/);
  });

  it('answers a direct message (no thread), and ignores subtypes and its own messages', async () => {
    const from = p.fake.outgoing.length;
    await p.fake.event(p.fake.dm('edited', { subtype: 'message_changed' }));
    await p.fake.event(p.fake.dm('from a bot', { bot_id: 'BOTHER01' }));
    await p.fake.event(p.fake.dm('my own echo', { user: p.fake.botUserId }));
    await p.fake.event(p.fake.dm('joined', { subtype: 'channel_join' }));
    // A message in a channel (not a DM, not a mention) is not for us either.
    await p.fake.event({ ...p.fake.dm('/topic 4'), channel_type: 'channel', channel: 'C0OTHER1' });
    await p.fake.event(p.fake.dm('/topic 4'));
    const [m] = await sent(from);
    await quiet();
    expect(p.fake.outgoing.length).toBe(from + 1);
    expect(m!.channel).toBe('D0DIRECT');
    expect(m!.thread_ts).toBeUndefined();
    expect(header(m!)).toMatch(/^4\. /);
  });

  it('a user error from a mention is ephemeral to that user; in a DM it is a normal message', async () => {
    const from = p.fake.outgoing.length;
    await p.fake.event(p.fake.mention('/topic 42', { user: 'U0ERR001' }));
    const [m] = await sent(from);
    expect(m!.via).toBe('chat.postEphemeral');
    expect(m!.user).toBe('U0ERR001');
    const from2 = p.fake.outgoing.length;
    await p.fake.event(p.fake.dm('/topic 42'));
    const [d] = await sent(from2);
    expect(d!.via).toBe('chat.postMessage');
  });

  it('retries of the same event_id are answered once', async () => {
    const from = p.fake.outgoing.length;
    const event = p.fake.mention('what data should I use for continued pretraining?');
    const first = await p.fake.event(event, { eventId: 'EvRETRY0001' });
    const [r1, r2] = await Promise.all([
      p.fake.event(event, { eventId: 'EvRETRY0001', retryNum: 1 }),
      p.fake.event(event, { eventId: 'EvRETRY0001', retryNum: 2 }),
    ]);
    expect([first.status, r1.status, r2.status]).toEqual([200, 200, 200]);
    await sent(from);
    await quiet(200);
    expect(p.fake.outgoing.length).toBe(from + 1);
    expect(p.logs.filter((l) => l.msg === 'duplicate Slack event ignored').length).toBe(2);
    // A different event_id is a different question.
    await p.fake.event(event, { eventId: 'EvRETRY0002' });
    await sent(from, 2);
  });

  it('answers 20 concurrent questions, each in its own thread', async () => {
    const from = p.fake.outgoing.length;
    const events = Array.from({ length: 20 }, (_, i) =>
      p.fake.mention(`/topic ${(i % 10) + 1}`, { user: `U0MANY${String(i).padStart(2, '0')}` }),
    );
    await Promise.all(events.map((e) => p.fake.event(e)));
    const out = await sent(from, 20);
    expect(out).toHaveLength(20);
    for (const [i, e] of events.entries()) {
      const m = out.find((o) => o.thread_ts === e.ts)!;
      expect(header(m)).toMatch(new RegExp(`^${(i % 10) + 1}\\. `));
    }
  });

  it('falls back to language detection when users.info fails', async () => {
    p.fake.override('users.info', () => ({ ok: false, error: 'missing_scope' }));
    try {
      const from = p.fake.outgoing.length;
      await p.fake.slashCommand('/topics', '', { user_id: 'U0NOSCOPE' });
      expect(header((await sent(from))[0]!)).toBe('The ten topics');
      expect(p.logs.some((l) => l.msg === 'Slack users.info failed; detecting language')).toBe(
        true,
      );
    } finally {
      p.fake.restore('users.info');
    }
  });

  it('escapes <!channel>, <!everyone>, user groups and <@U123> echoed from user text', async () => {
    const from = p.fake.outgoing.length;
    const echoed = '<!channel> <!everyone> <!subteam^S0123|@team> <@U123> & co';
    await p.fake.event(p.fake.mention(`/topic 5 "${echoed}"`, { user: 'U0ESC001' }));
    const [m] = await sent(from);
    const all = `${m!.text}\n${JSON.stringify(m!.blocks)}`;
    expect(all).toContain('&lt;!channel&gt;');
    expect(all).toContain('&lt;!everyone&gt;');
    expect(all).toContain('&lt;!subteam^S0123|@team&gt;');
    expect(all).toContain('&lt;@U123&gt;');
    expect(all).toContain('&amp; co');
    // Not one raw angle bracket anywhere: nothing Slack could parse as a mention or link.
    expect(all).not.toMatch(/[<>]/);
    // Slash command text too (Slack escapes &, <, > in it; we decode, then escape again).
    const from2 = p.fake.outgoing.length;
    await p.fake.slashCommand('/topic', '5 "&lt;!here&gt; &lt;@U999&gt;"');
    const [s] = await sent(from2);
    const all2 = `${s!.text}\n${JSON.stringify(s!.blocks)}`;
    expect(all2).toContain('&lt;!here&gt;');
    expect(all2).not.toMatch(/<!here>|<@U999>|&amp;lt;/);
  });
});

describe('Slack HTTP mode: buttons', () => {
  it('block_actions routes the choice with the clicker as user and responds (not replacing)', async () => {
    // /topics offers one button per topic; its value is the action.
    const from = p.fake.outgoing.length;
    await p.fake.slashCommand('/topics', '');
    const [list] = await sent(from);
    const actions = list!.blocks.find((b) => b.type === 'actions')!;
    const button = actions.elements![2]!;
    expect(button.value).toBe('/topic 3');
    const from2 = p.fake.outgoing.length;
    const r = await p.fake.blockAction(button.value!, {
      actionId: button.action_id!,
      user: 'U0CLICK1',
    });
    expect(r.status).toBe(200);
    const [m] = await sent(from2);
    expect(m!.via).toBe('response_url');
    expect(m!.replace_original).toBe(false);
    expect(m!.response_type).toBe('in_channel');
    expect(header(m!)).toMatch(/^3\. /);
    // The clicker's conversation (not the asker's) now has topic 3: "more" continues it.
    const from3 = p.fake.outgoing.length;
    await p.fake.event(p.fake.dm('more', { user: 'U0CLICK1', channel: 'D0CLICK1' }));
    expect(header((await sent(from3))[0]!)).toMatch(/^3\. /);
  });

  it('did you mean → click → the chosen topic', async () => {
    const from = p.fake.outgoing.length;
    await p.fake.event(p.fake.mention(AMBIGUOUS_CUE));
    const [first] = await sent(from);
    const actions = first!.blocks.find((b) => b.type === 'actions');
    // a pick shows that topic's short answer, not the whole topic
    expect(actions?.elements?.map((e) => e.value)).toEqual(['/topic 9 short', '/topic 3 short']);
    const value = actions!.elements![1]!.value!;
    const n = /\/topic (\d+)/.exec(value)![1];
    const from2 = p.fake.outgoing.length;
    await p.fake.blockAction(value, { threadTs: first!.thread_ts ?? '' });
    const [m] = await sent(from2);
    expect(header(m!)).toMatch(new RegExp(`^${n}\\. `));
    expect(text(m!)).not.toContain('Sources');
    expect(text(m!)).not.toContain('Sources');
    expect(m!.thread_ts).toBe(first!.thread_ts);
  });

  it('ignores a click without a value', async () => {
    const from = p.fake.outgoing.length;
    const r = await p.fake.blockAction('');
    expect(r.status).toBe(200);
    await quiet();
    expect(p.fake.outgoing.length).toBe(from);
  });
});

describe('Slack HTTP mode: files', () => {
  it('downloads an attached text file with the bot token for a command with a file option', async () => {
    const file = p.fake.addFile('notes.md', '# Title\nbody text\n');
    const from = p.fake.outgoing.length;
    await p.fake.event(p.fake.dm('/wc', { subtype: 'file_share', files: [file] }));
    const [m] = await sent(from);
    expect(text(m!)).toContain('notes.md: 18 chars, first line # Title');
    expect(p.fake.downloads.at(-1)).toEqual({ id: file.id, authorized: true });
  });

  it('refuses a file over 2 MiB without downloading it, and a binary file', async () => {
    const big = p.fake.addFile('big.txt', 'x', { size: 3 * 1024 * 1024 });
    const downloads = p.fake.downloads.length;
    const from = p.fake.outgoing.length;
    await p.fake.event(p.fake.mention('/wc', { files: [big], user: 'U0FILE01' }));
    const [m] = await sent(from);
    expect(m!.via).toBe('chat.postEphemeral');
    expect(text(m!)).toContain('is 3,145,728 bytes; the limit is 2,097,152 bytes (2 MiB)');
    expect(p.fake.downloads.length).toBe(downloads);
    // The size Slack reports can lie; the download itself is capped too.
    const liar = p.fake.addFile('liar.txt', 'y'.repeat(2 * 1024 * 1024 + 10), { size: 100 });
    const from2 = p.fake.outgoing.length;
    await p.fake.event(p.fake.dm('/wc', { files: [liar], subtype: 'file_share' }));
    expect(text((await sent(from2))[0]!)).toContain('more than 2,097,152 bytes, the limit (2 MiB)');
    const bin = p.fake.addFile('photo.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0]), {
      mimetype: 'image/png',
    });
    const from3 = p.fake.outgoing.length;
    await p.fake.event(p.fake.dm('/wc', { files: [bin], subtype: 'file_share' }));
    expect(text((await sent(from3))[0]!)).toMatch(/not a text file/);
  });

  it('/chunk with an attached file: split, answered, and chunks.jsonl uploaded into the DM', async () => {
    const file = p.fake.addFile('notes.md', 'Hello world. '.repeat(50));
    const u0 = p.fake.uploads.length;
    const from = p.fake.outgoing.length;
    await p.fake.event(
      p.fake.dm('/chunk size=100', { subtype: 'file_share', files: [file], channel: 'D0CHUNK1' }),
    );
    const [m] = await sent(from);
    expect(m!.ok).toBe(true);
    expect(header(m!)).toMatch(/chunk/);
    const upload = await p.fake.waitFor(() => p.fake.uploads.slice(u0).find((u) => u.completed));
    expect(upload).toMatchObject({ filename: 'chunks.jsonl', channel_id: 'D0CHUNK1' });
    const lines = upload.content!.trim().split('\n');
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
  });

  it('ignores attachments for commands without a file option', async () => {
    const file = p.fake.addFile('notes.txt', 'hello');
    const downloads = p.fake.downloads.length;
    const from = p.fake.outgoing.length;
    await p.fake.event(p.fake.dm('/topic 2', { subtype: 'file_share', files: [file] }));
    expect(header((await sent(from))[0]!)).toMatch(/^2\. /);
    expect(p.fake.downloads.length).toBe(downloads);
  });
});

describe('Slack HTTP mode: files in replies (files.uploadV2)', () => {
  const uploaded = (from: number) => p.fake.uploads.slice(from).filter((u) => u.completed);

  it('attaches reply files in the channel, or in the thread of a mention', async () => {
    const u0 = p.fake.uploads.length;
    const from = p.fake.outgoing.length;
    await p.fake.slashCommand('/export', '');
    const [m] = await sent(from);
    await p.fake.waitFor(() => uploaded(u0).length === 1);
    expect(text(m!)).toBe('chunks ready');
    expect(uploaded(u0)[0]).toMatchObject({
      filename: 'chunks.jsonl',
      channel_id: 'C0CHANNEL',
      content: '{"i":0,"text":"第一块"}\n{"i":1}\n',
    });
    const mention = p.fake.mention('/export');
    await p.fake.event(mention);
    await p.fake.waitFor(() => uploaded(u0).length === 2);
    expect(uploaded(u0)[1]).toMatchObject({ channel_id: 'C0CHANNEL', thread_ts: mention.ts });
    await p.fake.event(p.fake.dm('/export', { channel: 'D0EXPORT' }));
    await p.fake.waitFor(() => uploaded(u0).length === 3);
    expect(uploaded(u0)[2]!.channel_id).toBe('D0EXPORT');
  });

  it('an ephemeral reply never uploads into the channel: it says the file is not attached', async () => {
    const u0 = p.fake.uploads.length;
    const from = p.fake.outgoing.length;
    await p.fake.event(p.fake.mention('/export private=true', { user: 'U0PRIV01' }));
    const [m] = await sent(from);
    expect(m!.via).toBe('chat.postEphemeral');
    expect(text(m!)).toMatch(/chunks\.jsonl \(1 KB\) cannot be attached/);
    await quiet();
    expect(p.fake.uploads.length).toBe(u0);
  });

  it('when the upload fails (bot not in channel), a note follows with the same visibility', async () => {
    p.fake.notInChannel.add('C0NOBOT1');
    try {
      const from = p.fake.outgoing.length;
      await p.fake.slashCommand('/export', '', { channel_id: 'C0NOBOT1' });
      const [m, note] = await sent(from, 2);
      expect(text(m!)).toBe('chunks ready');
      expect(note!.via).toBe('response_url');
      expect(note!.response_type).toBe('in_channel');
      expect(text(note!)).toMatch(/chunks\.jsonl .*cannot be attached/);
      expect(p.logs.some((l) => l.msg === 'Slack file upload failed; sending a note instead')).toBe(
        true,
      );
    } finally {
      p.fake.notInChannel.delete('C0NOBOT1');
    }
  });
});

describe('Slack HTTP mode: outbox, failures, logs', () => {
  it('registers the slack outbox: posts into a channel thread', async () => {
    const from = p.fake.outgoing.length;
    await p.router.messenger.post(
      { platform: 'slack', channelId: 'C0QUIZ01', threadId: '1650000000.000200' },
      { kind: 'info', lang: 'en', title: 'Quiz over', paragraphs: ['Scores: <@U1> 3'] },
    );
    const [m] = await sent(from);
    expect(m!.via).toBe('chat.postMessage');
    expect(m!.channel).toBe('C0QUIZ01');
    expect(m!.thread_ts).toBe('1650000000.000200');
    expect(text(m!)).toContain('&lt;@U1&gt; 3');
  });

  it('a Web API failure is logged and does not crash the app', async () => {
    p.fake.override('chat.postMessage', () => ({ ok: false, error: 'not_in_channel' }));
    p.fake.override('chat.postEphemeral', () => ({ ok: false, error: 'not_in_channel' }));
    try {
      const logs = p.logs.length;
      await p.fake.event(p.fake.mention('/topic 1', { channel: 'C0NOTIN1' }));
      await p.fake.waitFor(() =>
        p.logs.slice(logs).some((l) => l.msg === 'Slack apology could not be sent'),
      );
      expect(p.logs.slice(logs).some((l) => l.msg === 'Slack listener failed')).toBe(true);
    } finally {
      p.fake.restore('chat.postMessage');
      p.fake.restore('chat.postEphemeral');
    }
  });

  it('never logs a token or the signing secret', () => {
    const raw = p.logText();
    expect(raw.length).toBeGreaterThan(1000);
    expect(raw).not.toContain(p.fake.botToken);
    expect(raw).not.toContain(p.fake.signingSecret);
  });
});

describe('Slack HTTP mode: lifecycle', () => {
  it('a router that throws: the adapter logs it and apologises; the process stays up', async () => {
    const q = await startPair({ wrap: explodingRouter });
    try {
      const from = q.fake.outgoing.length;
      await q.fake.event(q.fake.mention('please explode', { user: 'U0BOOM01' }));
      const m = await q.fake.waitFor(() => q.fake.outgoing[from]);
      expect(m!.via).toBe('chat.postEphemeral');
      expect(text(m!)).toMatch(/Sorry/);
      const err = q.logs.find((l) => l.msg === 'Slack listener failed') as {
        err?: { message?: string };
      };
      expect(err?.err?.message).toBe('kaboom in the router');
      await q.fake.slashCommand('/explode', 'now');
      await q.fake.waitFor(() => q.fake.outgoing.length >= from + 2);
      expect(q.fake.outgoing.at(-1)!.response_type).toBe('ephemeral');
      const from2 = q.fake.outgoing.length;
      await q.fake.slashCommand('/topic', '1');
      await q.fake.waitFor(() => q.fake.outgoing.length > from2);
      expect(header(q.fake.outgoing.at(-1)!)).toMatch(/^1\. /);
    } finally {
      await q.close();
    }
  });

  it('a slow command is acked at once and answered later (ack deadline shrunk to 300 ms)', async () => {
    const q = await startPair({ adapter: { unhandledRequestTimeoutMillis: 300 } });
    try {
      const started = Date.now();
      const r = await q.fake.slashCommand('/slow', '900');
      // Not acked within the deadline, Bolt itself would have answered 404.
      expect(r.status).toBe(200);
      expect(q.fake.outgoing).toHaveLength(0);
      const m = await q.fake.waitFor(() => q.fake.outgoing[0], 5000);
      expect(Date.now() - started).toBeGreaterThanOrEqual(900);
      expect(text(m)).toContain('done after 900 ms');
      expect(q.logs.some((l) => String(l.msg).includes('not acknowledged'))).toBe(false);
    } finally {
      await q.close();
    }
  });

  it('stop() waits for a reply still being written', async () => {
    const q = await startPair();
    await q.fake.slashCommand('/slow', '300');
    await q.slack.stop();
    expect(q.fake.outgoing).toHaveLength(1);
    await q.fake.stop();
  });

  it('a rejected bot token fails start-up with a clear error and leaves nothing running', async () => {
    const fake = await new FakeSlack().start();
    try {
      const parsed = parseConfig({
        SLACK_BOT_TOKEN: 'xoxb-wrong',
        SLACK_SIGNING_SECRET: fake.signingSecret,
        SLACK_API_URL: fake.apiUrl,
        PORT: '0',
      });
      if (!parsed.ok) throw new Error('config');
      const logger = createLogger({ level: 'silent', pretty: false });
      await expect(
        startSlack({ router: createRouter(), config: parsed.config, logger, host: '127.0.0.1' }),
      ).rejects.toThrow(/SLACK_BOT_TOKEN.*invalid_auth/);
      const missing = parseConfig({ SLACK_BOT_TOKEN: 'xoxb-x', SLACK_APP_TOKEN: 'xapp-x' });
      if (!missing.ok) throw new Error('config');
      await expect(
        startSlack({
          router: createRouter(),
          config: { ...missing.config, SLACK_APP_TOKEN: undefined },
          logger,
        }),
      ).rejects.toThrow(/SLACK_SIGNING_SECRET/);
      // The port is taken (by the fake itself): a clear error, not a crash.
      await expect(
        startSlack({
          router: createRouter(),
          config: { ...parsed.config, SLACK_BOT_TOKEN: fake.botToken, PORT: fake.port },
          logger,
          host: '127.0.0.1',
        }),
      ).rejects.toThrow(new RegExp(`cannot listen on PORT ${fake.port} \\(EADDRINUSE\\)`));
    } finally {
      await fake.stop();
    }
  });
});
