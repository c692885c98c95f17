/** Plumbing shared by the quiz commands: what they depend on, places, players, the bank guard. */
import { z } from 'zod';
import type { KnowledgeBase } from '../../../knowledge/index.js';
import {
  BankError,
  type Player,
  type QuizPlace,
  type QuizService,
  type ReviewService,
} from '../../../quiz/index.js';
import { userKeyOf } from '../../../store/types.js';
import { type CommandContext, option } from '../../command.js';
import type { Logger } from '../../log.js';
import type { Destination, Incoming, Reply } from '../../types.js';
import { errorReply } from './text.js';

/** Wraps a command body (see `bankGuard`). */
export type Guard = <A>(
  body: (args: A, ctx: CommandContext) => Promise<Reply>,
) => (args: A, ctx: CommandContext) => Promise<Reply>;

/** What the quiz commands are built from (services are created on first use). */
export interface QuizDeps {
  service: () => QuizService;
  review: () => ReviewService;
  knowledge: KnowledgeBase;
  isModerator: (incoming: Incoming) => boolean;
  guarded: Guard;
}

export const langOption = option(
  z.enum(['zh', 'en']).optional(),
  'Reply language for this command (zh or en)',
  '本次回复的语言(zh 或 en)',
);

/** Run a command body; a broken bank becomes a clear reply instead of an apology. */
export function bankGuard(logger: Pick<Logger, 'error'>): Guard {
  return (body) => async (args, ctx) => {
    try {
      return await body(args, ctx);
    } catch (err) {
      if (!(err instanceof BankError)) throw err;
      logger.error({ err }, 'quiz bank failed to load');
      return errorReply(ctx.lang, {
        en: 'Quizzes are unavailable right now: the quiz bank failed to load. The log names the problem.',
        zh: '测验暂时不可用:题库加载失败,具体问题见日志。',
      });
    }
  };
}

export function placeOf(incoming: Incoming): QuizPlace {
  return {
    platform: incoming.platform,
    channelId: incoming.channel.id,
    ...(incoming.channel.threadId ? { threadId: incoming.channel.threadId } : {}),
    isDM: incoming.channel.isDM,
  };
}

export function playerOf(incoming: Incoming): Player {
  const p: Player = { key: userKeyOf(incoming.platform, incoming.user.id) };
  if (incoming.user.name) p.name = incoming.user.name;
  return p;
}

export function destinationOfPlace(place: QuizPlace): Destination {
  return {
    platform: place.platform,
    channelId: place.channelId,
    ...(place.threadId ? { threadId: place.threadId } : {}),
  };
}
