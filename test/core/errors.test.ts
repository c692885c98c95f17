import { describe, expect, it } from 'vitest';
import { unknownCommandText } from '../../src/core/errors.js';
import { router, say, textOf } from './helpers.js';

describe('an unknown command', () => {
  it('suggests the closest command, in both languages', () => {
    const text = unknownCommandText('vrma', router.commands);
    expect(text.en).toContain('Did you mean /vram?');
    expect(text.zh).toContain('你是想用 /vram 吗');
    expect(unknownCommandText('leaderbord', router.commands).en).toContain(
      'Did you mean /leaderboard?',
    );
    expect(unknownCommandText('chunks', router.commands).en).toContain('Did you mean /chunk?');
  });

  it('suggests nothing when no command is close, and still lists them all', () => {
    const text = unknownCommandText('xyzzyq', router.commands);
    expect(text.en).not.toContain('Did you mean');
    expect(text.en).toContain('/vram');
    expect(text.en).toContain('/help');
  });

  it('the same suggestion reaches the user from a typed command and from /help', async () => {
    const typed = await say('/vrma llama-2-7b');
    expect(typed.kind).toBe('error');
    expect(textOf(typed)).toContain('Did you mean /vram?');
    const help = await say('/help vrma');
    expect(help.kind).toBe('error');
    expect(textOf(help)).toContain('Did you mean /vram?');
    const zh = await say('/vrma 显存');
    expect(textOf(zh)).toContain('你是想用 /vram 吗');
  });
});
