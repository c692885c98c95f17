/**
 * End to end, Socket Mode: the real Bolt app (SocketModeReceiver over undici's WebSocket)
 * against the fake's `apps.connections.open` + WebSocket server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Outgoing, visibleText } from '../../fakes/slack.js';
import { type Pair, startPair } from './helpers.js';

let p: Pair;
beforeAll(async () => {
  p = await startPair({ socket: true });
});
afterAll(async () => {
  await p?.close();
});

async function sent(from: number, n = 1): Promise<Outgoing[]> {
  await p.fake.waitFor(() => p.fake.outgoing.length >= from + n);
  return p.fake.outgoing.slice(from);
}
const header = (m: Outgoing) => m.blocks.find((b) => b.type === 'header')?.text?.text ?? '';

describe('Slack Socket Mode', () => {
  it('connects with the app token and no HTTP port', () => {
    expect(p.slack.mode).toBe('socket');
    expect(p.slack.port).toBeUndefined();
    const open = p.fake.callsTo('apps.connections.open');
    expect(open).toHaveLength(1);
    expect(open[0]!.token).toBe(p.fake.appToken);
    expect(p.fake.socketCount).toBe(1);
  });

  it('a slash_commands envelope is acked, then answered through response_url', async () => {
    const from = p.fake.outgoing.length;
    const ack = await p.fake.envelope('slash_commands', p.fake.slashCommandPayload('/topic', '5'));
    // An empty ack(): no response payload.
    expect(ack ?? {}).toEqual({});
    const [m] = await sent(from);
    expect(m!.via).toBe('response_url');
    expect(m!.response_type).toBe('in_channel');
    expect(header(m!)).toMatch(/^5\. /);
  });

  it('a bad option over Socket Mode is an ephemeral error', async () => {
    const from = p.fake.outgoing.length;
    await p.fake.envelope('slash_commands', p.fake.slashCommandPayload('/vram', 'seq=-3'));
    const [m] = await sent(from);
    expect(m!.response_type).toBe('ephemeral');
  });

  it('an events_api app_mention is answered in its thread; a DM is answered', async () => {
    const from = p.fake.outgoing.length;
    const mention = p.fake.mention('what is instruction tuning versus fine-tuning?');
    await p.fake.envelope('events_api', p.fake.eventPayload(mention));
    const [m] = await sent(from);
    expect(m!.via).toBe('chat.postMessage');
    expect(m!.thread_ts).toBe(mention.ts);
    const from2 = p.fake.outgoing.length;
    await p.fake.envelope('events_api', p.fake.eventPayload(p.fake.dm('/topic 9')));
    expect(header((await sent(from2))[0]!)).toMatch(/^9\. /);
  });

  it('a retried events_api envelope (same event_id) is answered once', async () => {
    const from = p.fake.outgoing.length;
    const payload = p.fake.eventPayload(p.fake.mention('/topic 7'), 'EvSOCKET0001');
    await p.fake.envelope('events_api', payload);
    await p.fake.envelope('events_api', payload, { retryAttempt: 1 });
    await sent(from);
    await new Promise((r) => setTimeout(r, 150));
    expect(p.fake.outgoing.length).toBe(from + 1);
  });

  it('an interactive block_actions envelope routes the button', async () => {
    const from = p.fake.outgoing.length;
    await p.fake.envelope('interactive', p.fake.blockActionPayload('/topic 4'));
    const [m] = await sent(from);
    expect(m!.via).toBe('response_url');
    expect(m!.replace_original).toBe(false);
    expect(header(m!)).toMatch(/^4\. /);
    expect(visibleText(m!.blocks).length).toBeGreaterThan(100);
  });
});

describe('Slack Socket Mode: logs', () => {
  it('never logs the app token or the bot token (debug level included)', () => {
    const raw = p.logText();
    expect(raw).toContain('"level":20');
    expect(raw).not.toContain(p.fake.appToken);
    expect(raw).not.toContain(p.fake.botToken);
  });
});

describe('Slack Socket Mode: reconnect and stop', () => {
  it('a rejected app token fails start-up with a clear error', async () => {
    await expect(
      startPair({ socket: true, env: { SLACK_APP_TOKEN: 'xapp-revoked' } }),
    ).rejects.toThrow(/Socket Mode did not connect.*invalid_auth.*SLACK_APP_TOKEN/);
  });

  it('reconnects when Slack asks, keeps answering, and stops without a hanging socket', async () => {
    const q = await startPair({ socket: true, adapter: { clientPingTimeout: 300 } });
    try {
      q.fake.requestReconnect();
      await q.fake.waitFor(() => q.fake.callsTo('apps.connections.open').length === 2, 5000);
      await q.fake.waitFor(() => q.fake.socketCount === 1);
      const from = q.fake.outgoing.length;
      await q.fake.envelope('slash_commands', q.fake.slashCommandPayload('/topic', '1'));
      await q.fake.waitFor(() => q.fake.outgoing.length > from);
    } finally {
      const started = Date.now();
      await q.slack.stop();
      expect(Date.now() - started).toBeLessThan(2000);
      await q.fake.waitFor(() => q.fake.socketCount === 0);
      await q.fake.stop();
    }
  });
});
