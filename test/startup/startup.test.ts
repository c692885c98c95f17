/**
 * Start-up cost of the built bot (`npm run build` runs before vitest in `npm test`): the
 * terminal chat never loads discord.js or Bolt, and the build's YAML cache covers every
 * bundled YAML text and gives the same knowledge base and quiz bank as parsing the YAML.
 * (Time itself is measured in `npm run bench`, not asserted here.)
 */
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadKnowledge } from '../../src/knowledge/load.js';
import { loadBank } from '../../src/quiz/bank.js';
import { tempDir } from '../quiz/helpers.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const dist = (p: string) => join(root, 'dist', p);
const built = existsSync(dist('main.js'));

/** A preload that prints, at exit, which platform packages the process loaded. */
const PRELOAD = `process.on('exit', () => {
  const loaded = Object.keys(require.cache);
  const names = ['discord.js', '@slack/bolt'].filter((n) =>
    loaded.some((f) => f.includes('/node_modules/' + n + '/')),
  );
  process.stderr.write('PLATFORM-PACKAGES:' + JSON.stringify(names) + '\\n');
});`;

/** The platform packages a node process with `args` loaded; it must exit with status 0. */
function loadedPlatforms(args: string[], input = ''): string[] {
  const tmp = tempDir('llm-tutor-startup-');
  try {
    const preload = join(tmp.dir, 'preload.cjs');
    writeFileSync(preload, PRELOAD);
    const r = spawnSync(process.execPath, ['-r', preload, ...args], {
      cwd: tmp.dir,
      input,
      encoding: 'utf8',
      env: { PATH: process.env.PATH, HOME: tmp.dir, LLM_TUTOR_DB: join(tmp.dir, 't.db') },
    });
    const line = /PLATFORM-PACKAGES:(.*)/.exec(r.stderr);
    if (!line || r.status !== 0) throw new Error(`status ${r.status}, stderr:\n${r.stderr}`);
    return JSON.parse(line[1]!) as string[];
  } finally {
    tmp.cleanup();
  }
}

describe.runIf(built)('start-up of the built bot', () => {
  it('the terminal chat loads neither discord.js nor Bolt', () => {
    // the chat answers (a command, then a question) and quits cleanly
    expect(
      loadedPlatforms([dist('main.js')], '/help\nwhy is BERT limited to 512 tokens\n/quit\n'),
    ).toEqual([]);
    // the check sees them when they are loaded
    const both = `await import(${JSON.stringify(dist('adapters/discord/index.js'))});
      await import(${JSON.stringify(dist('adapters/slack/index.js'))});`;
    expect(loadedPlatforms(['--input-type=module', '-e', both])).toEqual([
      'discord.js',
      '@slack/bolt',
    ]);
  });

  it('the YAML cache covers every bundled text and gives what parsing gives', () => {
    const script = `
      const { yamlCacheStats } = await import(${JSON.stringify(dist('knowledge/yaml.js'))});
      const { loadKnowledge } = await import(${JSON.stringify(dist('knowledge/load.js'))});
      const { loadBank } = await import(${JSON.stringify(dist('quiz/bank.js'))});
      const knowledge = loadKnowledge();
      const bank = loadBank();
      process.stdout.write(JSON.stringify({ stats: yamlCacheStats(), knowledge, questions: bank.questions }));`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout) as {
      stats: { hits: number; misses: number };
      knowledge: unknown;
      questions: unknown;
    };
    expect(out.stats.misses).toBe(0);
    expect(out.stats.hits).toBeGreaterThanOrEqual(40); // 20 topic files + the bank's files
    // parsed here from src/ (no cache there): the same values
    expect(out.knowledge).toEqual(JSON.parse(JSON.stringify(loadKnowledge())));
    expect(out.questions).toEqual(JSON.parse(JSON.stringify(loadBank().questions)));
  });
});
