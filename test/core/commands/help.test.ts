/** /help <command>: each option once, with its choices and its default said once. */
import { describe, expect, it } from 'vitest';
import { say } from '../helpers.js';

const field = async (line: string, name: string, lang: 'en' | 'zh' = 'en') =>
  (await say(line, { lang })).fields?.find((f) => f.name === name)?.value ?? '';

describe('/help <command>', () => {
  it('does not repeat a default the description already names', async () => {
    const mode = await field('/help vram', 'mode');
    expect(mode).toContain('Default full');
    expect(mode).not.toMatch(/default full\)/);
    expect(mode.match(/default/gi)).toHaveLength(1);
    const zh = await field('/help vram', 'mode', 'zh');
    expect(zh.match(/默认/g) ?? []).toHaveLength(1);
  });

  it('adds the default when the description does not name it', async () => {
    const count = await field('/help quiz', 'count');
    expect(count).toMatch(/\(default \d+\)$/);
  });

  it('an unknown command gets a clear error', async () => {
    const reply = await say('/help nosuchthing');
    expect(reply.kind).toBe('error');
  });
});
