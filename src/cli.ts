#!/usr/bin/env node
/**
 * The `llm-tutor` command.
 *   llm-tutor                       the terminal chat (same as `npm start`)
 *   llm-tutor ask "<question>"      one answer, then exit
 *   llm-tutor run [--json] "<line>" one command line (e.g. "/topic 5"), then exit
 *   llm-tutor route                 JSON lines: one routing decision per input line
 *   llm-tutor report …              the keeper's report from the question log
 *   llm-tutor chunk --size N …      JSON lines: the chunks of stdin, streamed
 *   llm-tutor discord:register      register the slash commands with Discord
 *   llm-tutor slack:manifest        print the Slack app manifest
 * A user error exits with status 2 and its message on stderr.
 */
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import {
  exitQuietlyOnClosedStdout,
  langFromEnv,
  TERMINAL_CHANNEL,
  TERMINAL_USER,
} from './adapters/console/chat.js';
import { renderReply } from './adapters/console/render.js';
import type { Router } from './core/router.js';
import type { Incoming, Reply } from './core/types.js';

// Each subcommand loads only what it needs: `route` and `chunk` start in a fraction of the
// time it takes to load the platform clients and the database driver.
const main = () => import('./main.js');
const routerOnce = async (): Promise<Router> => (await import('./compose.js')).createRouter();

/**
 * One line through the router over the store the chat uses (LLM_TUTOR_DB), so /stats,
 * /leaderboard and /review show the scores saved there; the store is closed afterwards.
 */
async function handleWithStore(line: string): Promise<Reply> {
  const { createRouter, loadConfig, openConfiguredStore } = await import('./compose.js');
  const store = await openConfiguredStore(loadConfig());
  try {
    const config = loadConfig();
    return await createRouter({ store, keepDays: config.LLM_TUTOR_KEEP_DAYS }).handle(
      incoming(line),
    );
  } finally {
    await store.close();
  }
}

const USAGE = `Usage:
  llm-tutor                        start the terminal chat
  llm-tutor ask "<question>"       answer one question and exit
  llm-tutor run [--json] "<line>"  run one command line, e.g. "/topic 5", and exit
  llm-tutor route                  read questions on stdin, write one JSON routing decision per line
  llm-tutor report [--days N] [--json] [--export FILE] [--html FILE]
                                   the keeper's report: declined questions, 👎 answers, picks, counts
  llm-tutor chunk --size N [--overlap M] [--unit chars|tokens] [--tokenizer o200k|cl100k|llama2] < file
                                   split stdin into chunks, one JSON object per chunk, streamed
  llm-tutor discord:register [--guild ID]
                                   register the slash commands (a server's: instant; global otherwise)
  llm-tutor slack:manifest [--json] [--socket] [--url https://host/slack/events]
                                   print a Slack app manifest generated from the commands`;

/** The terminal's one user, in the chat's place (the store keys `cli` as `console`). */
function incoming(text: string): Incoming {
  const lang = langFromEnv();
  return {
    platform: 'cli',
    user: { id: TERMINAL_USER },
    channel: { id: TERMINAL_CHANNEL, isDM: true },
    text,
    ...(lang ? { lang } : {}),
  };
}

function print(reply: Reply, json: boolean): number {
  if (reply.kind === 'error') {
    process.stderr.write(`${renderReply(reply)}\n`);
    return 2;
  }
  process.stdout.write(
    json ? `${JSON.stringify(reply.data ?? reply, null, 2)}\n` : `${renderReply(reply)}\n`,
  );
  return 0;
}

async function route(): Promise<number> {
  const { matchQuestion } = await import('./knowledge/index.js');
  const rl = createInterface({ input: process.stdin, terminal: false });
  const out: string[] = [];
  for await (const line of rl) {
    const r = matchQuestion(line);
    out.push(
      JSON.stringify({
        outcome: r.outcome,
        topic: r.topic,
        section: r.section,
        score: r.score,
        confidence: r.confidence,
        lang: r.lang,
        alternatives: r.alternatives,
      }),
    );
    if (out.length >= 256) process.stdout.write(`${out.splice(0).join('\n')}\n`);
  }
  if (out.length) process.stdout.write(`${out.join('\n')}\n`);
  return 0;
}

async function chunk(args: string[]): Promise<number> {
  let values: Record<string, string | undefined>;
  try {
    values = parseArgs({
      args,
      options: {
        size: { type: 'string' },
        overlap: { type: 'string' },
        unit: { type: 'string' },
        tokenizer: { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (values.size === undefined) {
    process.stderr.write(`--size is required (the largest chunk, e.g. --size 500)\n`);
    return 2;
  }
  const unit = values.unit ?? 'chars';
  if (unit !== 'chars' && unit !== 'tokens') {
    process.stderr.write(`--unit must be chars or tokens (got "${unit}")\n`);
    return 2;
  }
  const options = {
    size: Number(values.size),
    overlap: values.overlap === undefined ? 0 : Number(values.overlap),
    unit,
    ...(values.tokenizer ? { tokenizer: values.tokenizer } : {}),
  } as const;
  const { chunkStream, validateChunkOptions } = await import('./tools/chunk/index.js');
  const checked = validateChunkOptions(options);
  if (!checked.ok) {
    process.stderr.write(`--${checked.error.option}: ${checked.error.en}\n`);
    return 2;
  }
  process.stdin.setEncoding('utf8');
  const out = process.stdout;
  for await (const c of chunkStream(process.stdin as AsyncIterable<string>, checked.options)) {
    const line = `${JSON.stringify({ start: c.start, end: c.end, size: c.size, text: c.text })}\n`;
    if (!out.write(line)) await once(out, 'drain');
  }
  return 0;
}

async function discordRegister(args: string[]): Promise<number> {
  let guild: string | undefined;
  try {
    guild = parseArgs({ args, options: { guild: { type: 'string' } }, strict: true }).values.guild;
  } catch (err) {
    process.stderr.write(
      `${(err as Error).message}\nUsage: llm-tutor discord:register [--guild ID]\n`,
    );
    return 2;
  }
  const config = (await import('./compose.js')).loadConfig();
  const { registerDiscordCommands } = await import('./adapters/discord/index.js');
  try {
    const { scope, count } = await registerDiscordCommands({
      config,
      commands: (await routerOnce()).commands,
      ...(guild ? { guildId: guild } : {}),
    });
    process.stdout.write(
      scope === 'guild'
        ? `Registered ${count} slash commands in server ${guild} (they update instantly).\n`
        : `Registered ${count} global slash commands (Discord may take up to an hour to show changes).\n`,
    );
    return 0;
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    return 2;
  }
}

async function slackManifestCommand(args: string[]): Promise<number> {
  const { slackManifest } = await import('./adapters/slack/index.js');
  const commands = (await routerOnce()).commands;
  try {
    const { values } = parseArgs({
      args,
      options: {
        json: { type: 'boolean' },
        socket: { type: 'boolean' },
        url: { type: 'string' },
        name: { type: 'string' },
      },
      strict: true,
    });
    const manifest = slackManifest(commands, {
      format: values.json ? 'json' : 'yaml',
      socketMode: Boolean(values.socket),
      ...(values.url ? { requestUrl: values.url } : {}),
      ...(values.name ? { name: values.name } : {}),
    });
    process.stdout.write(manifest.endsWith('\n') ? manifest : `${manifest}\n`);
    return 0;
  } catch (err) {
    process.stderr.write(
      `${(err as Error).message}\nUsage: llm-tutor slack:manifest [--json] [--socket] [--url https://host/slack/events] [--name NAME]\n`,
    );
    return 2;
  }
}

async function cli(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  switch (sub) {
    case undefined:
    case 'chat':
      await (await main()).start();
      return 0;
    case 'ask': {
      const question = rest.join(' ').trim();
      if (!question) {
        process.stderr.write(`Give a question, e.g. llm-tutor ask "为什么SFT之后模型变笨了"\n`);
        return 2;
      }
      return print(await (await routerOnce()).handle(incoming(`/ask ${question}`)), false);
    }
    case 'run': {
      const json = rest.includes('--json');
      const line = rest
        .filter((a) => a !== '--json')
        .join(' ')
        .trim();
      if (!line) {
        process.stderr.write(`Give a command line, e.g. llm-tutor run "/topic 5"\n`);
        return 2;
      }
      return print(await handleWithStore(line), json);
    }
    case 'route':
      return route();
    case 'report':
      return (await import('./report/cli.js')).runReport(rest);
    case 'discord:register':
      return discordRegister(rest);
    case 'slack:manifest':
      return slackManifestCommand(rest);
    case 'chunk':
      return chunk(rest);
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(`${USAGE}\n`);
      return 0;
    default:
      process.stderr.write(`Unknown command "${sub}".\n${USAGE}\n`);
      return 2;
  }
}

exitQuietlyOnClosedStdout();
cli(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`llm-tutor: ${(err as Error).stack ?? String(err)}\n`);
    process.exitCode = 1;
  },
);
