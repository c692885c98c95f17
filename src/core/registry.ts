/** The commands every platform offers, in /help order. */
import type { AnyCommand } from './command.js';
import { chooseCommand } from './commands/choose.js';
import { chunkCommand } from './commands/chunk.js';
import { helpCommand, langCommand } from './commands/help.js';
import { askCommand, topicCommand, topicsCommand } from './commands/knowledge.js';
import { sftCommand } from './commands/sft.js';
import { tokensCommand } from './commands/tokens.js';
import { vramCommand } from './commands/vram.js';

export const defaultCommands: readonly AnyCommand[] = [
  helpCommand,
  topicsCommand,
  topicCommand,
  askCommand,
  langCommand,
  vramCommand,
  chunkCommand,
  tokensCommand,
  sftCommand,
  chooseCommand,
];
