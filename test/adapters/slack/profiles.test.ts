/** SlackProfiles: one users.info per user, shared by concurrent lookups, failures retried soon. */
import type { webApi } from '@slack/bolt';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SlackProfiles } from '../../../src/adapters/slack/profiles.js';
import { createLogger } from '../../../src/core/log.js';

const logger = createLogger({ level: 'silent', pretty: false });

interface Answer {
  ok: boolean;
  user?: { locale?: string; is_admin?: boolean; is_owner?: boolean };
}

/** A WebClient stand-in whose users.info answers from `answer` and counts calls. */
function client(answer: (user: string) => Promise<Answer>) {
  const calls: string[] = [];
  const c = {
    users: {
      info: async ({ user }: { user: string }) => {
        calls.push(user);
        const a = await answer(user);
        if (!a.ok) throw new Error('An API error occurred: missing_scope');
        return a;
      },
    },
  } as unknown as webApi.WebClient;
  return { c, calls };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('SlackProfiles', () => {
  it('reads locale and role: admin or owner is a moderator, anyone else is not', async () => {
    const roles: Record<string, Answer['user']> = {
      UADMIN: { locale: 'zh-CN', is_admin: true, is_owner: false },
      UOWNER: { locale: 'en-US', is_admin: false, is_owner: true },
      UPLAIN: { locale: 'fr-FR', is_admin: false, is_owner: false },
      UBARE: {},
    };
    const { c } = client(async (u) => ({ ok: true, user: roles[u] }));
    const profiles = new SlackProfiles(logger);
    expect(await profiles.of(c, 'UADMIN')).toEqual({ lang: 'zh', moderator: true });
    expect(await profiles.of(c, 'UOWNER')).toEqual({ lang: 'en', moderator: true });
    expect(await profiles.of(c, 'UPLAIN')).toEqual({ lang: undefined, moderator: false });
    expect(await profiles.of(c, 'UBARE')).toEqual({ lang: undefined, moderator: false });
  });

  it('concurrent lookups of one user share a call; the answer is cached for an hour', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const { c, calls } = client(async () => ({ ok: true, user: { is_admin: true } }));
    const profiles = new SlackProfiles(logger);
    const all = await Promise.all([1, 2, 3].map(() => profiles.of(c, 'U1')));
    expect(all.every((p) => p.moderator)).toBe(true);
    expect(calls).toEqual(['U1']);
    vi.advanceTimersByTime(59 * 60_000);
    await profiles.of(c, 'U1');
    expect(calls).toHaveLength(1);
    vi.advanceTimersByTime(2 * 60_000);
    await profiles.of(c, 'U1');
    expect(calls).toHaveLength(2);
  });

  it('a failed or slow lookup means "not a moderator", and is retried after a minute', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    let ok = false;
    const { c, calls } = client(async () =>
      ok ? { ok: true, user: { is_owner: true } } : { ok: false },
    );
    const profiles = new SlackProfiles(logger);
    expect(await profiles.of(c, 'U2')).toEqual({ lang: undefined, moderator: false });
    ok = true;
    expect((await profiles.of(c, 'U2')).moderator).toBe(false); // cached failure
    vi.advanceTimersByTime(61_000);
    expect((await profiles.of(c, 'U2')).moderator).toBe(true);
    expect(calls).toEqual(['U2', 'U2']);

    const slow = client(() => new Promise<Answer>(() => {})); // never answers
    const impatient = new SlackProfiles(logger, 30);
    vi.useRealTimers();
    const t0 = Date.now();
    expect(await impatient.of(slow.c, 'U3')).toEqual({ lang: undefined, moderator: false });
    expect(Date.now() - t0).toBeLessThan(1000);
  });
});
