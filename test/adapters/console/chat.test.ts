import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { runConsoleChat } from '../../../src/adapters/console/chat.js';
import { displayWidth, renderReply, renderTable } from '../../../src/adapters/console/render.js';
import { router } from '../../core/helpers.js';

async function chat(lines: string[]): Promise<string> {
  const input = new PassThrough();
  const output = new PassThrough();
  let text = '';
  output.on('data', (chunk: Buffer) => {
    text += chunk.toString('utf8');
  });
  const done = runConsoleChat({ router, input, output });
  input.end(`${lines.join('\n')}\n`);
  await done;
  return text;
}

describe('terminal chat (piped input)', () => {
  it('answers each line in turn and ends at end of input', async () => {
    const out = await chat([
      '为什么SFT之后模型变笨了',
      'how much VRAM for full fine-tuning?',
      '/topic 5 optimizer',
    ]);
    expect(out).toContain('6.');
    expect(out).toContain('5.');
    expect(out.indexOf('6.')).toBeLessThan(out.indexOf('5.'));
    expect(out).toMatch(/Adam/);
  });

  it('prints the /topics list once; its numbers still pick a topic', async () => {
    const out = await chat(['/topics', '3']);
    expect(out.match(/^10\. /gm)).toHaveLength(1);
    expect(out).not.toContain('[10]');
    expect(out).toContain('One section: /topic 3 <section>');
  });

  it('shows choices whose labels say more than their number', () => {
    const reply = {
      kind: 'clarify' as const,
      lang: 'en' as const,
      paragraphs: ['Pick one:'],
      choices: [
        { label: '5. VRAM', action: '/topic 5 short' },
        { label: '6. SFT', action: '/topic 6 short' },
      ],
    };
    expect(renderReply(reply)).toContain('  [1] 5. VRAM\n  [2] 6. SFT');
  });

  it('stops at /quit', async () => {
    const out = await chat(['/quit', '/topics']);
    expect(out).not.toContain('10.');
  });
});

/** A terminal stand-in: readline treats both streams as a TTY and reads keys from `input`. */
function tty() {
  const input = Object.assign(new PassThrough(), { isTTY: true, setRawMode: () => input });
  const output = Object.assign(new PassThrough(), { isTTY: true, columns: 80 });
  let text = '';
  output.on('data', (chunk: Buffer) => {
    text += chunk.toString('utf8');
  });
  return { input, output, text: () => text };
}

describe('terminal chat (interactive)', () => {
  it('Ctrl-C and Ctrl-D leave the shell prompt on a new line', async () => {
    for (const key of ['\x03', '\x04']) {
      const term = tty();
      const done = runConsoleChat({ router, input: term.input, output: term.output });
      term.input.write(key);
      await done;
      // the prompt, readline's cursor moves, then the new line
      expect(stripVTControlCharacters(term.text())).toMatch(/› \n$/);
    }
  });

  it('/quit ends on its own line without an extra blank one', async () => {
    const term = tty();
    const done = runConsoleChat({ router, input: term.input, output: term.output });
    term.input.write('/quit\r');
    await done;
    const text = stripVTControlCharacters(term.text());
    expect(text).toMatch(/\/quit\r?\n$/);
    expect(text).not.toMatch(/\n\n$/);
  });
});

describe('rendering', () => {
  it('renders every part of a reply as plain text', () => {
    const text = renderReply({
      kind: 'clarify',
      lang: 'en',
      title: 'T',
      paragraphs: ['p1', 'p2'],
      fields: [{ name: 'f', value: 'v\nw' }],
      table: { headers: ['a', 'bb'], rows: [['显存', '1']] },
      code: { text: 'code' },
      choices: [{ label: 'first', action: '/topic 1' }],
      hints: ['hint'],
    });
    expect(text).toBe(
      'T\n\np1\n\np2\n\nf\n  v\n  w\n\na     bb\n----  --\n显存  1\n\ncode\n\n  [1] first\n\n› hint',
    );
  });

  it('measures CJK and emoji as two columns', () => {
    expect(displayWidth('ab')).toBe(2);
    expect(displayWidth('显存')).toBe(4);
    expect(displayWidth('😀')).toBe(2);
    expect(renderTable(['x'], [['显']])).toBe('x\n--\n显');
  });
});

const cli = fileURLToPath(new URL('../../../dist/cli.js', import.meta.url));

function run(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [cli, ...args], {
    input,
    encoding: 'utf8',
    env: { ...process.env, LANG: 'C' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe.runIf(existsSync(cli))('the llm-tutor command (built)', () => {
  it('ask prints one answer and exits 0', () => {
    const r = run(['ask', '为什么SFT之后模型变笨了']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('6.');
  });

  it('run prints a command reply; --json prints its structured result', () => {
    expect(run(['run', '/topic 5']).stdout).toContain('ZeRO');
    const json = JSON.parse(run(['run', '--json', '/topics']).stdout);
    expect(json).toHaveLength(10);
  });

  it('a user error exits 2 with the message on stderr', () => {
    const r = run(['run', '/topic 42']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('1–10');
    expect(run(['ask']).code).toBe(2);
    expect(run(['nosuch']).code).toBe(2);
  });

  it('chunk streams stdin as JSON lines that rebuild the input', () => {
    const text = '第一段。这是第二句话！\n\nSecond paragraph. It has two sentences.\n'.repeat(200);
    const r = run(['chunk', '--size', '60', '--overlap', '10'], text);
    expect(r.code).toBe(0);
    const chunks = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { start: number; end: number; text: string });
    expect(chunks.length).toBeGreaterThan(10);
    let rebuilt = '';
    for (const c of chunks) {
      expect(c.text).toBe(text.slice(c.start, c.end));
      rebuilt += c.text.slice(rebuilt.length - c.start);
    }
    expect(rebuilt).toBe(text);
  });

  it('chunk rejects bad options with status 2', () => {
    expect(run(['chunk'], 'x').code).toBe(2);
    expect(run(['chunk', '--size', '10', '--overlap', '10'], 'x').stderr).toContain('overlap');
    expect(run(['chunk', '--size', '10', '--unit', 'words'], 'x').code).toBe(2);
    expect(run(['chunk', '--size', '10', '--bogus'], 'x').code).toBe(2);
  });

  it('route writes one JSON decision per input line', () => {
    const questions = ['全参数微调要多少显存', '', "what's the weather today?", 'bert vs llama'];
    const lines = Array.from({ length: 250 }, () => questions).flat();
    const r = run(['route'], `${lines.join('\n')}\n`);
    expect(r.code).toBe(0);
    const out = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(out).toHaveLength(1000);
    expect(out[0]).toMatchObject({ outcome: 'answer', topic: 5, lang: 'zh' });
    expect(Object.keys(out[0]).sort()).toEqual([
      'alternatives',
      'confidence',
      'lang',
      'outcome',
      'score',
      'section',
      'topic',
    ]);
    expect(out[1]).toMatchObject({ outcome: 'none', topic: null, section: null });
    expect(out[2]).toMatchObject({ outcome: 'none', topic: null });
    expect(out[3]).toMatchObject({ topic: 2, lang: 'en' });
  });
});

describe('wrapping prose to the terminal width', () => {
  it('wraps English at spaces and Chinese between characters, keeping list indents', async () => {
    const { wrapLine } = await import('../../../src/adapters/console/render.js');
    expect(wrapLine('the quick brown fox jumps over', 10)).toEqual([
      'the quick',
      'brown fox',
      'jumps over',
    ]);
    expect(wrapLine('全参数微调需要多少显存', 10)).toEqual(['全参数微调', '需要多少显', '存']);
    expect(wrapLine('- one two three four', 10)).toEqual(['- one two', '  three', '  four']);
    expect(wrapLine('short', 10)).toEqual(['short']);
  });
});
