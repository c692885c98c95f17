/**
 * `npm start` as a process: it starts every configured platform against stand-ins on
 * 127.0.0.1, answers, and shuts down cleanly on SIGTERM. Also the registration command.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_IDS, FAKE_TOKEN, FakeDiscord } from '../fakes/discord.js';
import { FakeSlack } from '../fakes/slack.js';
import { freePort } from '../setup/postgres.js';

const dist = (f: string) => fileURLToPath(new URL(`../../dist/${f}`, import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'llm-tutor-start-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function baseEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: dir, LANG: 'C' };
  return { ...env, LLM_TUTOR_DB: join(dir, 'db', 't.db'), LOG_LEVEL: 'info', ...extra };
}

function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

/** Run the CLI without blocking this process (the stand-ins live in it). */
async function cli(args: string[], env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, [dist('cli.js'), ...args], { env, cwd: dir });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (c: Buffer) => {
    stdout += c.toString();
  });
  child.stderr!.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  return { code: await exitOf(child), stdout, stderr };
}

describe.runIf(existsSync(dist('main.js')))('start-up', () => {
  let fake: FakeDiscord;
  beforeAll(async () => {
    fake = await new FakeDiscord().start();
  });
  afterAll(async () => {
    await fake.stop();
  });

  it('stops with a clear message when a variable is malformed', () => {
    const r = spawnSync(process.execPath, [dist('main.js')], {
      env: baseEnv({ SLACK_BOT_TOKEN: 'xoxb-1' }),
      encoding: 'utf8',
      cwd: dir,
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('SLACK_SIGNING_SECRET is required when SLACK_BOT_TOKEN is set');
  });

  it('starts Discord when DISCORD_TOKEN is set, answers, and exits cleanly on SIGTERM', async () => {
    const child = spawn(process.execPath, [dist('main.js')], {
      env: baseEnv({ DISCORD_TOKEN: FAKE_TOKEN, DISCORD_API_URL: fake.apiUrl }),
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let logs = '';
    child.stderr!.on('data', (c: Buffer) => {
      logs += c.toString();
    });
    const exited = exitOf(child);
    try {
      await fake.waitFor(() => fake.identifies.length > 0 && fake.connections > 0, 15_000);
      await fake.waitFor(() => logs.includes('llm-tutor started'), 15_000);
      const i = fake.injectSlash({ name: 'topic', options: { n: 2 } });
      const reply = await fake.waitFor(() => fake.messages.find((m) => m.interactionId === i.id));
      expect(reply.embeds[0]?.title).toMatch(/^2\. /);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(logs).not.toContain(FAKE_TOKEN);
    expect(logs).toContain('shutting down');
  }, 40_000);

  it('discord:register puts every command, for a server or globally', async () => {
    const env = baseEnv({
      DISCORD_TOKEN: FAKE_TOKEN,
      DISCORD_APPLICATION_ID: FAKE_IDS.application,
      DISCORD_API_URL: fake.apiUrl,
    });
    const guild = await cli(['discord:register', '--guild', FAKE_IDS.guild], env);
    expect(guild.code).toBe(0);
    expect(guild.stdout).toContain('Registered');
    const names = (fake.commands.get(FAKE_IDS.guild) ?? []).map((c) => c.name);
    expect(names).toEqual(expect.arrayContaining(['help', 'topic', 'vram', 'chunk', 'quiz']));
    const global = await cli(['discord:register'], env);
    expect(global.code).toBe(0);
    expect(fake.commands.get('global')?.length).toBe(names.length);

    const missing = await cli(
      ['discord:register'],
      baseEnv({ DISCORD_TOKEN: FAKE_TOKEN, DISCORD_API_URL: fake.apiUrl }),
    );
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('DISCORD_APPLICATION_ID');
    expect((await cli(['discord:register', '--guild', 'abc'], env)).code).toBe(2);
    expect((await cli(['discord:register', '--server', '1'], env)).code).toBe(2);
  }, 30_000);

  it('starts Slack (HTTP mode) when its tokens are set, answers a signed command, stops on SIGINT', async () => {
    const slack = await new FakeSlack().start();
    const port = await freePort();
    const child = spawn(process.execPath, [dist('main.js')], {
      env: baseEnv({
        SLACK_BOT_TOKEN: slack.botToken,
        SLACK_SIGNING_SECRET: slack.signingSecret,
        SLACK_API_URL: slack.apiUrl,
        PORT: String(port),
      }),
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let logs = '';
    child.stderr!.on('data', (c: Buffer) => {
      logs += c.toString();
    });
    const exited = exitOf(child);
    try {
      await slack.waitFor(() => logs.includes('llm-tutor started'), 15_000);
      slack.appUrl = `http://127.0.0.1:${port}/slack/events`;
      const sent = await slack.slashCommand('/tutor-topic', '3');
      expect(sent.status).toBe(200);
      const answer = await slack.waitFor(() => slack.responses.at(-1));
      expect(JSON.stringify(answer)).toContain('3.');
      // /chunk runs in the built worker pool (dist/core/jobs/worker.js)
      const before = slack.responses.length;
      const chunked = await slack.slashCommand(
        '/tutor-chunk',
        'size=6 overlap=0 一二三四五。六七八九十。',
      );
      expect(chunked.status).toBe(200);
      const split = await slack.waitFor(() => slack.responses[before]);
      expect(JSON.stringify(split)).toContain('/chunk：2 块');
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
    expect(logs).not.toContain(slack.signingSecret);
    expect(logs).not.toContain(slack.botToken);
    await slack.stop();
  }, 40_000);
});
