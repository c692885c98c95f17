/**
 * Start-up: load the environment (.env), build the core, start the terminal chat.
 * Discord and Slack adapters join here when their tokens are configured.
 */
import { pathToFileURL } from 'node:url';
import dotenv from 'dotenv';
import { langFromEnv, runConsoleChat } from './adapters/console/chat.js';
import { createRouter } from './core/index.js';
import { KnowledgeError } from './knowledge/index.js';

export async function start(): Promise<void> {
  dotenv.config({ quiet: true });
  let router: ReturnType<typeof createRouter>;
  try {
    router = createRouter();
  } catch (err) {
    if (err instanceof KnowledgeError) {
      process.stderr.write(`The knowledge base is broken: ${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  const lang = langFromEnv();
  await runConsoleChat({ router, ...(lang ? { lang } : {}) });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  start().catch((err: unknown) => {
    process.stderr.write(`llm-tutor: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  });
}
