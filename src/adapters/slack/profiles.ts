/**
 * What the adapter knows about a Slack user from users.info: language (from the locale) and
 * role. One call per user per hour (it needs `users:read`; without it, or when Slack is slow,
 * the core detects the language and nobody is a moderator). Looked up after the 3 s ack, never
 * before it; concurrent lookups for one user share a call; a failed lookup is retried after a
 * minute, not an hour.
 */
import type { webApi } from '@slack/bolt';
import type { Logger } from '../../core/log.js';
import type { Incoming, Lang } from '../../core/types.js';
import { langOfLocale } from '../kit/index.js';

type Client = webApi.WebClient;

export interface SlackProfile {
  /** From the user's locale; undefined → the core detects the language from the text. */
  lang: Lang | undefined;
  /** Workspace admin or owner: may stop someone else's quiz. Unknown → false. */
  moderator: boolean;
}

/** How long a users.info answer is trusted, and how soon a failed lookup is tried again. */
const PROFILE_TTL_MS = 3_600_000;
const PROFILE_RETRY_MS = 60_000;
/** users.info slower than this is given up (the reply goes on without it). */
const PROFILE_TIMEOUT_MS = 1500;

export class SlackProfiles {
  private readonly cache = new Map<string, { profile: SlackProfile; until: number }>();
  private readonly pending = new Map<string, Promise<SlackProfile>>();
  private warned = false;
  constructor(
    private readonly log: Logger,
    private readonly timeoutMs = PROFILE_TIMEOUT_MS,
  ) {}

  of(client: Client, user: string): Promise<SlackProfile> {
    const hit = this.cache.get(user);
    if (hit && Date.now() < hit.until) return Promise.resolve(hit.profile);
    const running = this.pending.get(user);
    if (running) return running;
    const lookup = this.lookup(client, user).finally(() => this.pending.delete(user));
    this.pending.set(user, lookup);
    return lookup;
  }

  private async lookup(client: Client, user: string): Promise<SlackProfile> {
    let profile: SlackProfile = { lang: undefined, moderator: false };
    let ok = false;
    let timer: NodeJS.Timeout | undefined;
    try {
      const res = await Promise.race([
        client.users.info({ user, include_locale: true }),
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`users.info took over ${this.timeoutMs} ms`)),
            this.timeoutMs,
          );
        }),
      ]);
      const u = res.user;
      profile = {
        lang: langOfLocale(u?.locale),
        moderator: u?.is_admin === true || u?.is_owner === true,
      };
      ok = true;
    } catch (err) {
      if (!this.warned) {
        this.warned = true;
        this.log.warn(
          { err: (err as Error).message },
          'Slack users.info failed; detecting language',
        );
      }
    } finally {
      clearTimeout(timer);
    }
    if (this.cache.size >= 10_000) this.cache.clear();
    this.cache.set(user, {
      profile,
      until: Date.now() + (ok ? PROFILE_TTL_MS : PROFILE_RETRY_MS),
    });
    return profile;
  }
}

/** Fill in what users.info says about the sender: language (when known) and role. */
export function applyProfile(incoming: Incoming, profile: SlackProfile): void {
  if (profile.lang) incoming.lang = profile.lang;
  incoming.user.moderator = profile.moderator;
}
