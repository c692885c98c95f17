/** The fake is only useful if it is as strict as Slack: these prove it refuses what Slack refuses. */
import { webApi } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeSlack, validateBlocks } from '../../fakes/slack.js';

let fake: FakeSlack;
let client: webApi.WebClient;
beforeAll(async () => {
  fake = await new FakeSlack().start();
  client = new webApi.WebClient(fake.botToken, {
    slackApiUrl: fake.apiUrl,
    retryConfig: { retries: 0 },
  });
});
afterAll(async () => {
  await fake.stop();
});

const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });

async function post(args: Record<string, unknown>): Promise<string | undefined> {
  try {
    await client.chat.postMessage({ channel: 'C1', ...args } as never);
    return undefined;
  } catch (err) {
    return (err as { data?: { error?: string } }).data?.error;
  }
}

describe('fake Slack strictness', () => {
  it('answers ok:false with the platform error codes (HTTP 200)', async () => {
    expect(await post({ text: 'hi' })).toBeUndefined();
    expect(await post({ text: 'x'.repeat(40_001) })).toBe('msg_too_long');
    expect(await post({ blocks: Array.from({ length: 51 }, () => section('a')) })).toBe(
      'invalid_blocks',
    );
    expect(await post({ blocks: [section('a'.repeat(3001))] })).toBe('invalid_blocks');
    expect(await post({ blocks: [section('   ')] })).toBe('invalid_blocks');
    expect(
      await post({
        blocks: [{ type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } }],
      }),
    ).toBe('invalid_blocks');
    expect(await post({ blocks: Array.from({ length: 5 }, () => section('a'.repeat(2900))) })).toBe(
      'msg_blocks_too_long',
    );
    expect(await post({})).toBe('no_text');
    const bad = new webApi.WebClient('xoxb-wrong', {
      slackApiUrl: fake.apiUrl,
      retryConfig: { retries: 0 },
    });
    await expect(bad.auth.test()).rejects.toMatchObject({ data: { error: 'invalid_auth' } });
    expect(fake.calls.at(-1)).toMatchObject({ method: 'auth.test', token: 'xoxb-wrong' });
  });

  it('checks fields, buttons and context like Block Kit does', () => {
    const field = (n: number, len = 3) =>
      Array.from({ length: n }, () => ({ type: 'mrkdwn', text: 'f'.repeat(len) }));
    expect(validateBlocks([{ type: 'section', fields: field(10) }]).error).toBeUndefined();
    expect(validateBlocks([{ type: 'section', fields: field(11) }]).error).toBe('invalid_blocks');
    expect(validateBlocks([{ type: 'section', fields: field(1, 2001) }]).error).toBe(
      'invalid_blocks',
    );
    const button = (id: string, label = 'b') => ({
      type: 'button',
      text: { type: 'plain_text', text: label },
      action_id: id,
      value: 'v',
    });
    expect(validateBlocks([{ type: 'actions', elements: [button('a'), button('a')] }]).error).toBe(
      'invalid_blocks',
    );
    expect(
      validateBlocks([
        { type: 'actions', elements: Array.from({ length: 26 }, (_, i) => button(`${i}`)) },
      ]).error,
    ).toBe('invalid_blocks');
    expect(
      validateBlocks([{ type: 'actions', elements: [button('x', 'l'.repeat(76))] }]).error,
    ).toBe('invalid_blocks');
    expect(validateBlocks([{ type: 'context', elements: field(11) }]).error).toBe('invalid_blocks');
    expect(validateBlocks([{ type: 'video' }]).error).toBe('invalid_blocks');
  });

  it('response_url: validated, and at most 5 uses', async () => {
    const url = fake.newResponseUrl();
    const send = (body: object) =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await send({ text: 'ok', response_type: 'in_channel' })).status).toBe(200);
    expect((await send({ blocks: [section('a'.repeat(3001))] })).status).toBe(400);
    expect((await send({ text: 'x', response_type: 'everyone' })).status).toBe(400);
    for (let i = 0; i < 2; i++) expect((await send({ text: 'ok' })).status).toBe(200);
    expect((await send({ text: 'sixth' })).status).toBe(404);
  });

  it('serves private files only with the bot token (else the sign-in page, like Slack)', async () => {
    const f = fake.addFile('a.txt', 'secret text');
    const anon = await fetch(f.url_private_download);
    expect(anon.status).toBe(200);
    expect(anon.headers.get('content-type')).toContain('text/html');
    await anon.body?.cancel();
    const authed = await fetch(f.url_private_download, {
      headers: { Authorization: `Bearer ${fake.botToken}` },
    });
    expect(await authed.text()).toBe('secret text');
  });
});
