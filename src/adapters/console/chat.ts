/**
 * The terminal chat: an interactive prompt when stdin is a terminal, or one answer per
 * input line when lines are piped in. Choices are answered by typing their number.
 */
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Router } from '../../core/router.js';
import type { Choice, Incoming, Lang } from '../../core/types.js';
import { langOfLocale } from '../kit/index.js';
import { renderReply } from './render.js';

/** Who and where the terminal's user is, in the chat and in `llm-tutor run`. */
export const TERMINAL_USER = 'local';
export const TERMINAL_CHANNEL = 'terminal';

export interface ConsoleChatOptions {
  router: Router;
  input?: Readable & { isTTY?: boolean };
  output?: Writable & { isTTY?: boolean };
  /** The user's language from the environment (LANG=zh_CN…), used for commands without text. */
  lang?: Lang;
  user?: string;
  /** Waits for posts still owed when the chat ends (the quiz's `settle`: a stop's scoreboard). */
  settle?: () => Promise<void>;
}

/** `llm-tutor … | head` closes stdout early: end quietly instead of crashing with EPIPE. */
export function exitQuietlyOnClosedStdout(): void {
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
}

/** The user's language from the terminal's locale (`LANG=zh_CN.UTF-8` → zh), if it names one. */
export function langFromEnv(env: NodeJS.ProcessEnv = process.env): Lang | undefined {
  return langOfLocale(env.LC_ALL || env.LC_MESSAGES || env.LANG);
}

/** Run the chat until end of input (Ctrl-D), Ctrl-C, or /quit. Resolves when it has ended. */
export async function runConsoleChat(options: ConsoleChatOptions): Promise<void> {
  const input = options.input ?? process.stdin;
  const output = options.output ?? process.stdout;
  const interactive = Boolean(input.isTTY && output.isTTY);
  const color = Boolean(output.isTTY) && !process.env.NO_COLOR;
  const columns = () =>
    interactive ? Math.min(100, (output as { columns?: number }).columns ?? 80) - 1 : undefined;
  const rl = createInterface({ input, output, terminal: interactive, historySize: 200 });
  const write = (s: string) => output.write(`${s}\n`);
  let choices: Choice[] = [];
  // replies posted later (quiz timers, scoreboards) are printed as they come
  const unregister = options.router.messenger.register('console', {
    post: async (_to, reply) => {
      choices = reply.choices ?? choices;
      write(renderReply(reply, { color, width: columns() }));
      if (interactive) rl.prompt();
    },
  });

  const incoming = (text: string): Incoming => ({
    platform: 'console',
    user: { id: options.user ?? TERMINAL_USER },
    channel: { id: TERMINAL_CHANNEL, isDM: true },
    text,
    ...(options.lang ? { lang: options.lang } : {}),
  });

  if (interactive) {
    write(
      'llm-tutor — ask about LLMs in 中文 or English. /help for commands, Ctrl-D or /quit to leave.',
    );
    rl.setPrompt('› ');
    rl.prompt();
  }
  let closed = false;
  let quit = false;
  rl.on('SIGINT', () => rl.close());
  rl.on('close', () => {
    closed = true;
    // Ctrl-C or Ctrl-D at the prompt: end its line, so the shell's prompt starts on a new one
    if (interactive && !quit) output.write('\n');
  });

  for await (const raw of rl) {
    const line = raw.trim();
    if (/^[/／](quit|exit)$/i.test(line)) {
      quit = true;
      break;
    }
    // a choice is picked by its number (1, 2, …) or letter (A, B, …)
    const index = /^\d+$/.test(line)
      ? Number(line) - 1
      : /^[a-z]$/i.test(line)
        ? line.toUpperCase().charCodeAt(0) - 65
        : -1;
    const pick = choices[index];
    const reply = await options.router.handle(incoming(pick ? pick.action : raw));
    choices = reply.choices ?? [];
    write(renderReply(reply, { color, width: columns() }));
    if (interactive) {
      write('');
      rl.prompt();
    } else {
      write('');
    }
  }
  // a /quit right after /quiz stop: print the reveal and scoreboard before leaving
  await options.settle?.();
  unregister();
  if (!closed) rl.close();
}
