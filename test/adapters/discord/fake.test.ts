/**
 * The fake must be as strict as Discord, or the e2e tests prove nothing: these tests talk
 * to it with plain fetch and a bare discord.js client.
 */
import { Client, Events, GatewayIntentBits, type Message } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_IDS, FakeDiscord, messageLimitErrors } from '../../fakes/discord.js';

let fake: FakeDiscord;

beforeAll(async () => {
  fake = await new FakeDiscord({ ackDeadlineMs: 200 }).start();
});

afterAll(async () => {
  await fake.stop();
});

const api = (path: string, init: RequestInit = {}) =>
  fetch(`${fake.apiUrl}/v10${path}`, {
    ...init,
    headers: { 'content-type': 'application/json', ...(init.headers ?? {}) },
  });
const bot = { authorization: `Bot ${FAKE_IDS.application}` };

describe('interaction callbacks', () => {
  it('204 without a content type; a second ack → 40060; follow-ups need an ack first', async () => {
    const i = fake.injectSlash({ name: 'topic', options: { n: 1 } });
    const early = await api(`/webhooks/${FAKE_IDS.application}/${i.token}?wait=true`, {
      method: 'POST',
      body: JSON.stringify({ content: 'too early' }),
    });
    expect(early.status).toBe(404);
    expect(await early.json()).toMatchObject({ code: 10015 });
    const path = `/interactions/${i.id}/${i.token}/callback`;
    const first = await api(path, { method: 'POST', body: JSON.stringify({ type: 5 }) });
    expect(first.status).toBe(204);
    expect(first.headers.get('content-type')).toBeNull();
    expect(await first.text()).toBe('');
    const second = await api(path, { method: 'POST', body: JSON.stringify({ type: 5 }) });
    expect(second.status).toBe(400);
    expect(await second.json()).toMatchObject({ code: 40060 });
  });

  it('a callback after the deadline → 404 with code 10062', async () => {
    const i = fake.injectSlash({ name: 'topic', options: { n: 1 }, ageMs: 250 });
    const res = await api(`/interactions/${i.id}/${i.token}/callback`, {
      method: 'POST',
      body: JSON.stringify({ type: 4, data: { content: 'late' } }),
    });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ code: 10062 });
  });
});

describe('message limits → 400 like Discord', () => {
  const post = (body: unknown, auth = { authorization: `Bot ${fake.token}` }) =>
    api(`/channels/${FAKE_IDS.channel}/messages`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify(body),
    });

  it('refuses without bot auth', async () => {
    expect((await post({ content: 'hi' }, bot)).status).toBe(401);
  });

  it.each([
    ['content over 2000', { content: 'x'.repeat(2001) }, 'content'],
    ['description over 4096', { embeds: [{ description: 'x'.repeat(4097) }] }, 'embeds'],
    ['title over 256', { embeds: [{ title: 'x'.repeat(257) }] }, 'embeds'],
    [
      '26 fields',
      { embeds: [{ fields: Array.from({ length: 26 }, () => ({ name: 'a', value: 'b' })) }] },
      'embeds',
    ],
    [
      'field value over 1024',
      { embeds: [{ fields: [{ name: 'a', value: 'x'.repeat(1025) }] }] },
      'embeds',
    ],
    [
      'over 6000 across embeds',
      { embeds: [{ description: 'x'.repeat(4000) }, { description: 'y'.repeat(2001) }] },
      'embeds',
    ],
    ['11 embeds', { embeds: Array.from({ length: 11 }, () => ({ description: 'x' })) }, 'embeds'],
    [
      '6 buttons in a row',
      {
        content: 'x',
        components: [
          {
            type: 1,
            components: Array.from({ length: 6 }, (_, i) => ({
              type: 2,
              style: 2,
              label: 'b',
              custom_id: `b${i}`,
            })),
          },
        ],
      },
      'components',
    ],
    [
      '6 rows',
      {
        content: 'x',
        components: Array.from({ length: 6 }, (_, i) => ({
          type: 1,
          components: [{ type: 2, style: 2, label: 'b', custom_id: `r${i}` }],
        })),
      },
      'components',
    ],
    [
      'duplicate custom_id',
      {
        content: 'x',
        components: [
          {
            type: 1,
            components: [
              { type: 2, style: 2, label: 'a', custom_id: 'same' },
              { type: 2, style: 2, label: 'b', custom_id: 'same' },
            ],
          },
        ],
      },
      'components',
    ],
    [
      'custom_id over 100',
      {
        content: 'x',
        components: [
          { type: 1, components: [{ type: 2, style: 2, label: 'a', custom_id: 'x'.repeat(101) }] },
        ],
      },
      'components',
    ],
  ])('%s', async (_name, body, key) => {
    const res = await post(body);
    expect(res.status).toBe(400);
    const json = (await res.json()) as { code: number; errors: Record<string, unknown> };
    expect(json.code).toBe(50035);
    expect(Object.keys(json.errors)).toContain(key);
  });

  it('an empty message → 50006; a valid one → 200 with a message object', async () => {
    const empty = await post({ content: '' });
    expect(await empty.json()).toMatchObject({ code: 50006 });
    const ok = await post({
      content: 'x'.repeat(2000),
      embeds: [{ description: 'y'.repeat(4000) }],
    });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ channel_id: FAKE_IDS.channel });
    expect(messageLimitErrors({ content: '😀'.repeat(2000) })).toEqual({}); // code points, like Discord
  });
});

describe('gateway', () => {
  it('blanks guild message content for a client without MESSAGE_CONTENT, except mentions', async () => {
    const client = new Client({
      intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages],
      rest: { api: fake.apiUrl },
    });
    const seen: string[] = [];
    client.on(Events.MessageCreate, (m: Message) => {
      seen.push(m.content);
    });
    const ready = new Promise((resolve) => client.once(Events.ClientReady, resolve));
    await client.login(fake.token);
    await ready;
    try {
      fake.injectMessage({ content: 'no mention here' });
      fake.injectMention('with mention');
      await fake.waitFor(() => seen.length === 2);
      expect(seen).toEqual(['', `<@${FAKE_IDS.bot}> with mention`]);
    } finally {
      await client.destroy();
    }
  });

  it('refuses a wrong token (401 on /gateway/bot → TokenInvalid)', async () => {
    const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: fake.apiUrl } });
    await expect(client.login('wrong.token.value')).rejects.toThrow(/token/i);
  });
});
