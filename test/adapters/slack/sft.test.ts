/**
 * /sft end to end on Slack: the real Bolt client against the loopback fake, a .jsonl shared in
 * a DM (downloaded with the bot token), checked in the worker pool, the report posted and the
 * three splits uploaded back with files.uploadV2 (upload URL, upload, completion into the DM).
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRouter } from '../../../src/compose.js';
import { type Outgoing, visibleText } from '../../fakes/slack.js';
import { type Pair, startPair } from './helpers.js';

let p: Pair;
beforeAll(async () => {
  p = await startPair({ router: (logger) => createRouter({ logger }) });
});
afterAll(async () => {
  await p?.close();
});

const body = () => readFileSync('test/fixtures/sft/openai.jsonl', 'utf8');
const text = (m: Outgoing) => visibleText(m.blocks);

/** Messages sent into `channel` after `from`, once at least one is there. */
async function answersIn(channel: string, from: number): Promise<Outgoing[]> {
  // the first /sft starts a worker thread and loads the tokenizer: allow for a busy machine
  return p.fake.waitFor(() => {
    const found = p.fake.outgoing.slice(from).filter((m) => m.channel === channel);
    return found.length > 0 ? found : undefined;
  }, 30_000);
}

/** Share the fixture in DM `channel` with `command`; where the outgoing and upload lists stood. */
async function shareIn(channel: string, command: string) {
  const file = p.fake.addFile('data.jsonl', body());
  const from = p.fake.outgoing.length;
  const u0 = p.fake.uploads.length;
  await p.fake.event(p.fake.dm(command, { subtype: 'file_share', files: [file], channel }));
  return { file, from, u0 };
}

describe('Slack: /sft with a shared file', () => {
  it('reports the planted defects and uploads train/validation/test into the DM', {
    timeout: 40_000,
  }, async () => {
    const { file, from, u0 } = await shareIn('D0SFT001', '/sft split=80/10/10 seed=3');
    const [report] = await answersIn('D0SFT001', from);
    expect(p.fake.downloads.at(-1)).toEqual({ id: file.id, authorized: true });
    expect(text(report!)).toContain('line 3:');
    expect(text(report!)).toContain('line 7 repeats line 1');
    const uploads = await p.fake.waitFor(() => {
      const done = p.fake.uploads.slice(u0).filter((u) => u.completed);
      return done.length >= 3 ? done : undefined;
    }, 30_000);
    expect(uploads.map((u) => u.filename).sort()).toEqual([
      'test.jsonl',
      'train.jsonl',
      'validation.jsonl',
    ]);
    for (const u of uploads) expect(u.channel_id).toBe('D0SFT001');
    const lines = uploads.flatMap((u) => (u.content ?? '').split('\n').filter(Boolean));
    expect(lines).toHaveLength(12);
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
    // each line is an input line, and no line is in two splits (duplicates only as often as
    // the input has them)
    const times = (xs: string[]) => {
      const m = new Map<string, number>();
      for (const x of xs) m.set(x, (m.get(x) ?? 0) + 1);
      return m;
    };
    const input = times(body().split('\n'));
    for (const [line, k] of times(lines)) expect(k).toBeLessThanOrEqual(input.get(line) ?? 0);
  });

  it('a broken option is answered with the reason, and nothing is uploaded', {
    timeout: 40_000,
  }, async () => {
    const { from, u0 } = await shareIn('D0SFT002', '/sft split=80/30');
    const [reply] = await answersIn('D0SFT002', from);
    expect(text(reply!)).toMatch(/adds up to 110/);
    await new Promise((r) => setTimeout(r, 200));
    expect(p.fake.uploads.length).toBe(u0);
  });

  it('without a file it says how to attach one; file= (a path on the bot) is refused', {
    timeout: 40_000,
  }, async () => {
    const from = p.fake.outgoing.length;
    await p.fake.event(p.fake.dm('/sft', { channel: 'D0SFT003' }));
    const [reply] = await answersIn('D0SFT003', from);
    expect(text(reply!)).toContain('Nothing to check: attach a .jsonl/.json file');
    const from2 = p.fake.outgoing.length;
    await p.fake.event(p.fake.dm('/sft file=/etc/passwd', { channel: 'D0SFT004' }));
    const [refused] = await answersIn('D0SFT004', from2);
    expect(text(refused!)).toContain('works only in the terminal');
    expect(p.fake.uploads.filter((u) => u.channel_id?.startsWith('D0SFT00'))).toHaveLength(3);
  });
});
