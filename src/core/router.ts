/**
 * The heart of the bot: one `Incoming` in, one `Reply` out, whatever the platform.
 * Commands are parsed and validated against their zod schema; free text goes to the
 * trained topic classifier. `handle` never throws: a bug becomes a logged apology.
 */
import {
  defaultMatcher,
  isFragment,
  type KnowledgeBase,
  type QuestionMatcher,
} from '../knowledge/index.js';
import { detectLang } from '../knowledge/text.js';
import { topicReply } from './answers.js';
import { commandUsage, parseArgText, splitCommandLine, validateArgs } from './args.js';
import type { AnyCommand, CommandContext } from './command.js';
import { answerQuestion, MAX_QUESTION_CHARS } from './commands/knowledge.js';
import { unknownCommandText, userError } from './errors.js';
import type { FeedbackLog } from './feedback.js';
import { type Localized, t } from './i18n.js';
import { normalizeIncoming } from './incoming.js';
import { sharedWorkerPool } from './jobs/pool.js';
import { inProcessJobs, type JobRunner } from './jobs/runner.js';
import { consoleErrors, type Logger } from './log.js';
import { Messenger } from './messenger.js';
import { sanitizeReply } from './sanitize.js';
import { ConversationStore } from './state.js';
import type { Incoming, Lang, Platform, Reply } from './types.js';

export { MAX_QUESTION_CHARS };

/** Words that ask to continue the last answer. */
const MORE =
  /^(more|more please|details?|go on|continue|详细|详细点|详细说说|更多|展开|继续|展开说说)[\s.!。!]*$/i;

export interface RouterOptions {
  knowledge: KnowledgeBase;
  commands: readonly AnyCommand[];
  /** Default: the trained topic classifier shipped with the knowledge base. */
  matcher?: QuestionMatcher;
  messenger?: Messenger;
  logger?: Pick<Logger, 'error'>;
  /**
   * Where heavy commands (/chunk, /tokens) run for Discord and Slack messages (default: the
   * process's shared worker pool, started on first use). The terminal, `llm-tutor run` and
   * tests run them in-process.
   */
  jobs?: JobRunner;
  /**
   * Takes a message that is only an answer to the quiz question open in its channel, and
   * answers it (the quiz feature's `typedAnswer`); undefined when the message is not one.
   */
  openAnswer?: OpenAnswer;
  /** The question log and ratings (see feedback.ts); absent: nothing is logged. */
  feedback?: FeedbackLog;
}

/** See `RouterOptions.openAnswer`. */
export type OpenAnswer = (incoming: Incoming, lang: Lang) => Promise<Reply | undefined>;

/** Platforms whose heavy work runs on the calling thread (one local user). */
const LOCAL_PLATFORMS: ReadonlySet<Platform> = new Set<Platform>(['console', 'cli', 'test']);

/** What a bug says to the user (the details go to the log). */
export const APOLOGY: Readonly<Record<Lang, string>> = {
  en: 'Sorry — something went wrong on my side. Please try again.',
  zh: '抱歉,我这边出了点问题,请再试一次。',
};

export function apologyReply(lang: Lang): Reply {
  return { kind: 'error', lang, ephemeral: true, paragraphs: [APOLOGY[lang]] };
}

/** Say nothing: adapters send no message for it (see `isSilent`). */
export function silentReply(lang: Lang): Reply {
  return { kind: 'silent', lang, paragraphs: [] };
}

/** Is this a reply that must not be posted? */
export function isSilent(reply: Reply): boolean {
  return reply.kind === 'silent';
}

/** A one-line hint on what to send. */
function hintReply(lang: Lang, text: Localized): Reply {
  return { kind: 'info', lang, paragraphs: [t(lang, text)] };
}

/** Cut a long usage line at a word boundary (every option is listed by /help <command>). */
function shorten(line: string, max: number): string {
  if (line.length <= max) return line;
  return `${line.slice(0, line.lastIndexOf(' ', max))} …`;
}

export class Router {
  readonly knowledge: KnowledgeBase;
  readonly commands: readonly AnyCommand[];
  readonly matcher: QuestionMatcher;
  /** Adapters register their platform's outbox here; timers and sessions post through it. */
  readonly messenger: Messenger;
  private readonly conversations = new ConversationStore();
  private readonly logger: Pick<Logger, 'error'>;
  private readonly poolJobs: JobRunner | undefined;
  private readonly openAnswer: OpenAnswer | undefined;
  /** The question log (a composition root starts its daily pruning). */
  readonly feedback: FeedbackLog | undefined;

  constructor(options: RouterOptions) {
    this.knowledge = options.knowledge;
    this.commands = options.commands;
    this.matcher = options.matcher ?? defaultMatcher();
    this.messenger = options.messenger ?? new Messenger();
    this.logger = options.logger ?? consoleErrors;
    this.poolJobs = options.jobs;
    this.openAnswer = options.openAnswer;
    this.feedback = options.feedback;
  }

  /**
   * Load the topic model now (about 0.2 s): a chat platform calls this before it connects, so
   * that no user's first question holds the event loop while the model loads.
   */
  warm(): void {
    this.matcher.warm?.();
  }

  /** The runner for heavy work of chat platforms (the worker pool). */
  get jobs(): JobRunner {
    return this.poolJobs ?? sharedWorkerPool();
  }

  /** Where a message's heavy work runs: in-process for local platforms, else the pool. */
  jobsFor(platform: Platform): JobRunner {
    return LOCAL_PLATFORMS.has(platform) ? inProcessJobs : this.jobs;
  }

  findCommand(name: string): AnyCommand | undefined {
    return this.commands.find((c) => c.name === name.toLowerCase());
  }

  /**
   * Handle one message. Never throws, whatever it is given (also objects that are not a valid
   * `Incoming`): a bug becomes a logged apology. The reply is sanitized (well-formed strings,
   * something to show).
   */
  async handle(raw: Incoming): Promise<Reply> {
    let incoming: Incoming | undefined;
    try {
      incoming = normalizeIncoming(raw);
      return sanitizeReply(await this.route(incoming));
    } catch (err) {
      this.logBug(err, incoming);
      return apologyReply(incoming?.lang ?? 'en');
    }
  }

  /**
   * Log a bug with what is known of the message, but not its text (logs above debug never
   * hold what users wrote); a failing logger is not our caller's problem.
   */
  private logBug(err: unknown, incoming: Incoming | undefined): void {
    try {
      this.logger.error(
        {
          err,
          platform: incoming?.platform,
          command: incoming?.command?.name ?? splitCommandLine(incoming?.text ?? '')?.name,
          chars: incoming?.text.length,
        },
        'router error',
      );
    } catch {}
  }

  private async route(incoming: Incoming): Promise<Reply> {
    let lang: Lang = incoming.lang ?? 'en';
    try {
      const text = incoming.text;
      const conversation = this.conversations.get(incoming);
      lang =
        conversation.lang ??
        (/\p{Script=Han}/u.test(text) ? 'zh' : (incoming.lang ?? detectLang(text)));
      if (incoming.overheard && !incoming.command) return await this.overheard(incoming, lang);
      if (text.length > MAX_QUESTION_CHARS && !incoming.command) {
        const line = splitCommandLine(text);
        if (!line || !this.findCommand(line.name)?.rest) return this.tooLong(lang, text.length);
      }
      const ctxFor = (l: Lang): CommandContext => ({
        incoming,
        lang: l,
        conversation,
        commands: this.commands,
        knowledge: this.knowledge,
        matcher: this.matcher,
        jobs: this.jobsFor(incoming.platform),
        ...(this.feedback ? { feedback: this.feedback } : {}),
      });
      if (incoming.command) {
        return await this.runCommand(
          incoming.command.name,
          { ok: true, values: incoming.command.options },
          ctxFor,
          lang,
        );
      }
      const trimmed = text.trim();
      if (!trimmed || !/[\p{L}\p{N}\p{S}]/u.test(trimmed)) return this.emptyHint(lang);
      const line = splitCommandLine(trimmed);
      if (line) {
        const command = this.findCommand(line.name);
        if (!command) return this.unknownCommand(line.name, lang);
        return await this.runCommand(line.name, parseArgText(command, line.argText), ctxFor, lang);
      }
      const answered = await this.openAnswer?.(incoming, lang);
      if (answered) return answered;
      if (MORE.test(trimmed)) return this.more(ctxFor(lang));
      if (isFragment(trimmed)) return this.noQuestionHint(lang);
      if (trimmed.length > MAX_QUESTION_CHARS) return this.tooLong(lang, trimmed.length);
      return await answerQuestion(trimmed, ctxFor(lang));
    } catch (err) {
      this.logBug(err, incoming);
      return apologyReply(lang);
    }
  }

  private async runCommand(
    name: string,
    parsed: ReturnType<typeof parseArgText>,
    ctxFor: (lang: Lang) => CommandContext,
    lang: Lang,
  ): Promise<Reply> {
    const command = this.findCommand(name);
    if (!command) return this.unknownCommand(name, lang);
    if (!parsed.ok) return this.argError(command, parsed.message, lang);
    const optionLang = parsed.lang ?? parsed.values.lang;
    const effective: Lang = optionLang === 'zh' || optionLang === 'en' ? optionLang : lang;
    const valid = validateArgs(command, parsed.values);
    if (!valid.ok) return this.argError(command, valid.message, effective);
    return await command.run(valid.args, ctxFor(effective));
  }

  private argError(command: AnyCommand, message: Record<Lang, string>, lang: Lang): Reply {
    return userError(lang, message, [
      `${t(lang, { en: 'Usage', zh: '用法' })}: ${shorten(commandUsage(command), 160)}`,
      t(lang, { en: `Details: /help ${command.name}`, zh: `详细说明:/help ${command.name}` }),
    ]);
  }

  private unknownCommand(name: string, lang: Lang): Reply {
    return userError(lang, unknownCommandText(name, this.commands), [
      t(lang, { en: 'See /help', zh: '发送 /help 查看说明' }),
    ]);
  }

  /** A channel message not for the bot: an answer to the open quiz question, or nothing. */
  private async overheard(incoming: Incoming, lang: Lang): Promise<Reply> {
    return (await this.openAnswer?.(incoming, lang)) ?? silentReply(lang);
  }

  /** A letter, a number or "ok" with no quiz question open: one line on what to do. */
  private noQuestionHint(lang: Lang): Reply {
    return hintReply(lang, {
      en: 'No quiz question is open — /quiz to start one.',
      zh: '现在没有进行中的测验题——发送 /quiz 开始一个。',
    });
  }

  private emptyHint(lang: Lang): Reply {
    return hintReply(lang, {
      en: 'Ask me a question about LLMs (e.g. "how much GPU memory does full fine-tuning need?"), or send /help.',
      zh: '问我一个大模型相关的问题(例如"全参数微调需要多少显存?"),或发送 /help 查看命令。',
    });
  }

  private tooLong(lang: Lang, length: number): Reply {
    return userError(lang, {
      en: `That message is ${length} characters long; questions can be at most ${MAX_QUESTION_CHARS}. Please ask a shorter question (to split a long text, use /chunk).`,
      zh: `这条消息有 ${length} 个字符,问题最多 ${MAX_QUESTION_CHARS} 个字符。请把问题缩短一些(要切分长文本,请用 /chunk)。`,
    });
  }

  private more(ctx: CommandContext): Reply {
    const id = ctx.conversation.lastTopic;
    const topic = id ? this.knowledge.topics.find((x) => x.id === id) : undefined;
    if (!topic) return this.emptyHint(ctx.lang);
    return topicReply(topic, ctx.lang);
  }
}
