import { knowledgeBase } from '../knowledge/index.js';
import { defaultCommands } from './registry.js';
import { Router, type RouterOptions } from './router.js';

export type { AnyCommand, CommandContext, CommandDef } from './command.js';
export { defineCommand, option } from './command.js';
export { defaultCommands } from './registry.js';
export { Router } from './router.js';
export type { Choice, Field, Incoming, Lang, Platform, Reply, ReplyKind, Table } from './types.js';

/** A router over the bundled knowledge base and every command. */
export function createRouter(options: Partial<RouterOptions> = {}): Router {
  return new Router({ knowledge: knowledgeBase(), commands: defaultCommands, ...options });
}
