/**
 * Configuration from the environment (and `.env`), validated with zod at start-up.
 * A missing or malformed variable stops the bot with a message that names it and says
 * what to do. Secrets are never logged (see log.ts).
 */
import { z } from 'zod';
import { DEFAULT_LEASE, leaseTimingProblem } from '../quiz/lease.js';

/** An unset variable and an empty one (`DISCORD_TOKEN=` in .env) mean the same. */
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess(
    (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
    schema.optional(),
  );

const url = (name: string) =>
  z
    .string()
    .trim()
    .refine((v) => /^https?:\/\/[^\s/]+/.test(v), `${name} must be an http(s) URL`);

/** The most shards `DISCORD_SHARDS` may ask for: one process each, on one machine. */
export const MAX_DISCORD_SHARDS = 1024;

/** `DISCORD_SHARDS`: `auto` (Discord's recommendation) or a number of shard processes. */
const shardsSetting = z
  .string()
  .trim()
  .transform((v, ctx): 'auto' | number => {
    const value = v.toLowerCase();
    if (value === 'auto') return 'auto';
    const n = /^\d+$/.test(value) ? Number(value) : Number.NaN;
    if (n >= 1 && n <= MAX_DISCORD_SHARDS) return n;
    ctx.addIssue({
      code: 'custom',
      message: `must be auto or a whole number of shards from 1 to ${MAX_DISCORD_SHARDS} (DISCORD_SHARDS=auto or e.g. DISCORD_SHARDS=2), or unset for one process`,
    });
    return z.NEVER;
  });

/** A duration in whole milliseconds, `fallback` when unset. */
const ms = (fallback: number) =>
  z.preprocess(
    (v) => (v === undefined || v === '' ? fallback : v),
    z.coerce
      .number({ error: 'must be a whole number of milliseconds' })
      .int('must be a whole number of milliseconds')
      .positive('must be above 0'),
  );

/** A whole number from `min` to `max`; unset or empty: `fallback`. */
const wholeNumber = (fallback: number, min: number, max: number) =>
  z.preprocess(
    (v) => (v === undefined || (typeof v === 'string' && v.trim() === '') ? fallback : v),
    z.coerce
      .number('must be a whole number')
      .int('must be a whole number')
      .min(min, `must be at least ${min}`)
      .max(max, `must be at most ${max}`),
  );

export const configSchema = z
  .object({
    DISCORD_TOKEN: optional(z.string().trim().min(20, 'looks too short to be a bot token')),
    DISCORD_APPLICATION_ID: optional(
      z
        .string()
        .trim()
        .regex(/^\d{5,25}$/, 'must be the numeric application id'),
    ),
    DISCORD_API_URL: optional(url('DISCORD_API_URL')),
    DISCORD_SHARDS: optional(shardsSetting),
    SLACK_BOT_TOKEN: optional(z.string().trim().startsWith('xoxb-', 'must start with xoxb-')),
    SLACK_SIGNING_SECRET: optional(z.string().trim().min(8, 'looks too short')),
    SLACK_APP_TOKEN: optional(z.string().trim().startsWith('xapp-', 'must start with xapp-')),
    SLACK_API_URL: optional(url('SLACK_API_URL')),
    PORT: z.preprocess(
      (v) => (v === undefined || v === '' ? 3000 : v),
      z.coerce.number().int('must be a whole number').min(0).max(65_535),
    ),
    LLM_TUTOR_INSTANCE: optional(
      z
        .string()
        .trim()
        .regex(/^[\w.:@/-]{1,120}$/, 'must be 1–120 letters, digits or . _ : @ / -'),
    ),
    LLM_TUTOR_QUIZ_LEASE_MS: ms(DEFAULT_LEASE.leaseMs),
    LLM_TUTOR_QUIZ_TICK_MS: ms(DEFAULT_LEASE.tickMs),
    LOG_LEVEL: z.preprocess(
      (v) => (v === undefined || v === '' ? 'info' : String(v).toLowerCase()),
      z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
    ),
    LLM_TUTOR_DB: z.preprocess(
      (v) => (v === undefined || v === '' ? './data/llm-tutor.db' : v),
      z.string(),
    ),
    /** Days the question log keeps questions and ratings; 0 turns the log off. */
    LLM_TUTOR_KEEP_DAYS: wholeNumber(30, 0, 3650),
    /** Questions one user may ask per minute (a burst of this many, then one per 60/N s); 0: no limit. */
    LLM_TUTOR_QUESTIONS_PER_MINUTE: wholeNumber(10, 0, 10_000),
    /** 👍/👎 ratings one user may give per minute; 0: no limit. */
    LLM_TUTOR_RATINGS_PER_MINUTE: wholeNumber(20, 0, 10_000),
  })
  .superRefine((c, ctx) => {
    const need = (cond: boolean, path: string, message: string) => {
      if (cond) ctx.addIssue({ code: 'custom', path: [path], message });
    };
    need(
      Boolean(c.DISCORD_SHARDS !== undefined && !c.DISCORD_TOKEN),
      'DISCORD_SHARDS',
      'is set but DISCORD_TOKEN is not: sharding splits the Discord bot, so set both or neither',
    );
    need(
      Boolean(c.SLACK_BOT_TOKEN && !c.SLACK_APP_TOKEN && !c.SLACK_SIGNING_SECRET),
      'SLACK_SIGNING_SECRET',
      'is required when SLACK_BOT_TOKEN is set (HTTP mode); or set SLACK_APP_TOKEN for Socket Mode',
    );
    const lease = leaseTimingProblem({
      ...DEFAULT_LEASE,
      leaseMs: c.LLM_TUTOR_QUIZ_LEASE_MS,
      tickMs: c.LLM_TUTOR_QUIZ_TICK_MS,
    });
    need(Boolean(lease), 'LLM_TUTOR_QUIZ_LEASE_MS', `/ LLM_TUTOR_QUIZ_TICK_MS: ${lease}`);
    need(
      Boolean(!c.SLACK_BOT_TOKEN && (c.SLACK_SIGNING_SECRET || c.SLACK_APP_TOKEN)),
      'SLACK_BOT_TOKEN',
      'is required when SLACK_SIGNING_SECRET or SLACK_APP_TOKEN is set (the bot token, xoxb-…)',
    );
  });

export type Config = z.output<typeof configSchema>;

export type ConfigResult = { ok: true; config: Config } | { ok: false; errors: string[] };

/** Parse the environment; on failure, one line per problem naming the variable. */
export function parseConfig(env: NodeJS.ProcessEnv = process.env): ConfigResult {
  const r = configSchema.safeParse(env);
  if (r.success) return { ok: true, config: r.data };
  return {
    ok: false,
    errors: r.error.issues.map((i) => {
      const name = String(i.path[0] ?? 'configuration');
      return `${name} ${i.message}. Fix it in .env (see .env.example) or the environment.`;
    }),
  };
}

/** Which platforms the configuration turns on. */
export function platformsOf(config: Config): { discord: boolean; slack: boolean } {
  return { discord: Boolean(config.DISCORD_TOKEN), slack: Boolean(config.SLACK_BOT_TOKEN) };
}
