import { z } from 'zod';
import type { KnowledgeBase, QuestionMatcher } from '../knowledge/index.js';
import type { FeedbackLog } from './feedback.js';
import type { JobRunner } from './jobs/runner.js';
import type { Conversation } from './state.js';
import type { Incoming, Lang, Reply, Table } from './types.js';

/** What a command's `run` gets besides its validated arguments. */
export interface CommandContext {
  incoming: Incoming;
  /** The language to answer in (user preference, command option or detection). */
  lang: Lang;
  /** This user's conversation state (language preference, last topic). */
  conversation: Conversation;
  /** All registered commands (used by /help). */
  commands: readonly AnyCommand[];
  knowledge: KnowledgeBase;
  matcher: QuestionMatcher;
  /**
   * Where CPU-heavy work runs (`ctx.jobs.run('chunk', …)`): in-process for the terminal, the
   * worker pool for Discord and Slack (see `src/core/jobs`).
   */
  jobs: JobRunner;
  /** The question log and ratings (absent: nothing is logged). */
  feedback?: FeedbackLog;
}

/**
 * One definition per command feeds every platform: the terminal parser, Discord's
 * slash-command registration, Slack's text arguments and /help are all derived from it.
 * Option descriptions come from the schema (`option(schema, en, zh)`).
 */
export interface CommandDef<S extends z.ZodObject = z.ZodObject> {
  name: string;
  description: Record<Lang, string>;
  schema: S;
  /** Option names filled, in order, by bare words on a text command line. */
  positional?: readonly string[];
  /** Option that receives the remaining text of the line verbatim (e.g. the question of /ask). */
  rest?: string;
  /** Example invocations, shown by /help <command>. */
  examples?: readonly string[];
  /** A table /help <command> shows below the options (e.g. /choose's rule table). */
  helpTable?: (lang: Lang) => Table;
  run(args: z.output<S>, ctx: CommandContext): Reply | Promise<Reply>;
}

/**
 * Any command, whatever its schema (a heterogeneous list such as the registry). `run` is a
 * method, so its parameter is checked bivariantly and every `CommandDef<S>` fits here.
 */
export type AnyCommand = CommandDef<z.ZodObject>;

/** Attach an English and a Chinese description to an option schema (apply it last). */
export function option<T extends z.ZodType>(schema: T, en: string, zh: string): T {
  return schema.meta({ description: en, zh }) as T;
}

/** The localized description of one option of a command, if any. */
export function optionDescription(schema: z.ZodType, lang: Lang): string | undefined {
  const meta = z.globalRegistry.get(schema) as { description?: string; zh?: string } | undefined;
  if (!meta) return undefined;
  return lang === 'zh' ? (meta.zh ?? meta.description) : meta.description;
}

/** Define a command with its argument types inferred from the schema. */
export function defineCommand<S extends z.ZodObject>(def: CommandDef<S>): CommandDef<S> {
  return def;
}
