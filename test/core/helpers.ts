import { createRouter } from '../../src/compose.js';
import type { Incoming, Reply } from '../../src/core/types.js';

export const router = createRouter({ logger: { error: () => {} } });

export function msg(text: string, extra: Partial<Incoming> = {}): Incoming {
  return {
    platform: 'test',
    user: { id: extra.user?.id ?? 'u1' },
    channel: { id: 'c1', isDM: false },
    text,
    ...extra,
  };
}

export function say(text: string, extra: Partial<Incoming> = {}): Promise<Reply> {
  return router.handle(msg(text, extra));
}

/** All the text a person would read in a reply. */
export function textOf(reply: Reply): string {
  return [
    reply.title ?? '',
    ...reply.paragraphs,
    ...(reply.fields ?? []).map((f) => `${f.name} ${f.value}`),
    reply.code?.text ?? '',
    ...(reply.choices ?? []).map((c) => c.label),
    ...(reply.hints ?? []),
  ].join('\n');
}
