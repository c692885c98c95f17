/**
 * A seeded generator of adversarial chat messages: random Unicode (every script the bot meets,
 * lone surrogates, RTL and zero-width marks, emoji sequences, flags), long runs of one unit,
 * commands with random options and junk values, options already parsed (as Discord sends
 * them), attached files, type-invalid `Incoming` objects, and oversized inputs. Every message
 * comes from its own 32-bit seed, so a failing one is replayed from that seed alone.
 */
import type { AnyCommand } from '../../src/core/command.js';
import { optionsOf } from '../../src/core/options.js';
import type { Platform } from '../../src/core/types.js';

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [lo, hi]. */
  int(lo: number, hi: number): number;
  pick<T>(xs: readonly T[]): T;
  chance(p: number): boolean;
}

/** mulberry32: small, fast, good enough for test data. */
export function rng(seed: number): Rng {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: (xs) => xs[Math.floor(next() * xs.length)]!,
    chance: (p) => next() < p,
  };
}

/** The seed of message `i` of a run (each message is reproducible on its own). */
export function messageSeed(runSeed: number, i: number): number {
  let h = (Math.imul(runSeed >>> 0, 0x9e3779b1) + Math.imul(i + 1, 0x85ebca6b)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

const ASCII = [...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'];
const PUNCT = [...'.,;:!?-_=+*/\\|()[]{}<>@#$%^&~`"\''];
const SPACE = [' ', ' ', '  ', '\t', '\n', '\n\n', '\r\n', '\u3000', '\u00a0', '\u2028'];
const CJK = [...'大模型上下文窗口训练数据显存微调预训练分词长文本切块重叠问题答案中文字'];
const CJK_PUNCT = [...'。，、；：！？「」『』（）《》……—～'];
const WORDS = [
  'model',
  'context',
  'window',
  'fine-tuning',
  'GPU',
  'memory',
  'BERT',
  'tokens',
  'LoRA',
  'SFT',
  '显存',
  '微调',
  '为什么',
  '多少',
  '怎么',
  'e.g.',
  '3.14',
  '7B',
];
const MARKS = ['\u0301', '\u0308', '\u0323', '\u20e3', '\u0e33', 'ি', '्', '\u093f'];
const ZERO_WIDTH = ['\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u180e'];
const RTL = ['\u202e', '\u202d', '\u200f', '\u200e', '\u2066', '\u2067', '\u2069', 'مرحبا', 'שלום'];
const EMOJI = ['😀', '👍🏽', '👨‍👩‍👧‍👦', '🏳️‍🌈', '❤️', '1️⃣', '🇨🇳', '🇺🇸', '🏴󠁧󠁢󠁳󠁣󠁴󠁿', '🧑🏿‍🚀'];
const FLAGS = ['🇨', '🇳', '🇺', '🇸', '🇯', '🇵'];
const SCRIPTS = [
  '한국어',
  '\u1100\u1161\u11a8',
  'ภาษาไทย',
  'क्षत्रिय',
  'Ελληνικά',
  'кириллица',
  'ქართ',
];
const SURROGATES = ['\ud800', '\udbff', '\udc00', '\udfff', '\ud83d', '\ude00'];
const CONTROL = ['\u0000', '\u0007', '\u001b[31m', '\u007f', '\u0085', '\ufffe', '\uffff'];
const PLATFORM_MARKUP = [
  '@everyone',
  '@here',
  '<@123456789012345678>',
  '<@&1234>',
  '<!channel>',
  '<@U123ABC>',
  '&amp;',
  '&lt;',
  '```',
  '**bold**',
  '||spoiler||',
  '[link](https://example.invalid)',
  '> quote',
  '# heading',
  '\\',
];
const QUOTES = ['"', "'", '“', '”', '「', '」', '‘', '’', '『'];

const CLASSES: readonly (readonly string[])[] = [
  ASCII,
  ASCII,
  ASCII,
  PUNCT,
  SPACE,
  CJK,
  CJK,
  CJK_PUNCT,
  WORDS,
  WORDS,
  MARKS,
  ZERO_WIDTH,
  RTL,
  EMOJI,
  FLAGS,
  SCRIPTS,
  SURROGATES,
  CONTROL,
  PLATFORM_MARKUP,
  QUOTES,
];

/** Units whose long runs stressed the splitter, the parser or the renderers. */
const RUN_UNITS = [
  '\u0301',
  '🇨🇳',
  '🇨',
  '\u200d',
  'a\u200d',
  '👨‍👩‍👧‍👦',
  '\ufe0f',
  'क्',
  '「',
  '"',
  ' ',
  '\n',
  '\\',
  '*',
  '`',
  '&',
  '<',
  '。',
  '.',
  'a',
  '字',
  '\ud800',
  '\udc00',
  'ab ',
  '\u3000',
  'e.g. ',
  '1.',
  '😀',
];

function randomText(r: Rng, maxUnits: number): string {
  const n = r.int(0, maxUnits);
  const parts: string[] = [];
  const bias = r.pick(CLASSES); // most texts lean on one class
  for (let i = 0; i < n; i++) parts.push(r.pick(r.chance(0.4) ? bias : r.pick(CLASSES)));
  return parts.join('');
}

function longRun(r: Rng, max: number): string {
  const unit = r.pick(RUN_UNITS);
  const times = Math.max(1, Math.floor(r.int(1_000, max) / unit.length));
  const body = unit.repeat(times);
  return r.chance(0.3) ? `${randomText(r, 10)}${body}${randomText(r, 10)}` : body;
}

/** 1.9–2.3 MB (around the /chunk limit) or 190–210 k characters (around /tokens'). */
function oversized(r: Rng): string {
  const unit = r.pick([
    'The quick brown fox jumps. ',
    '长文本要先切块。',
    'a\u0301',
    '🇨🇳',
    'x',
    'ab ',
  ]);
  const bytes = Buffer.byteLength(unit, 'utf8');
  const target = r.chance(0.5) ? r.int(1_900_000, 2_300_000) : r.int(190_000, 210_000);
  return unit.repeat(Math.max(1, Math.floor(target / bytes)));
}

const JUNK_VALUES = [
  '',
  '0',
  '-1',
  '1',
  '2',
  '1000000',
  '1000001',
  '1e308',
  'NaN',
  'Infinity',
  '0x10',
  '3.5',
  'true',
  'false',
  'yes',
  'null',
  'undefined',
  '__proto__',
  'constructor',
  '=',
  '==',
  ':',
  '"',
  '"unclosed',
  '“quoted value”',
  '「引号」',
  'zh',
  'en',
  'fr',
];

function optionValue(r: Rng, o: { kind: string; choices?: string[] }): string {
  const roll = r.next();
  if (roll < 0.45 && o.choices?.length) return r.pick(o.choices);
  if (roll < 0.6 && (o.kind === 'integer' || o.kind === 'number')) return String(r.int(1, 200));
  if (roll < 0.8) return r.pick(JUNK_VALUES);
  if (roll < 0.97) return randomText(r, 12);
  return longRun(r, 20_000);
}

function quoteIfNeeded(r: Rng, v: string): string {
  if (!/\s/.test(v) && !r.chance(0.1)) return v;
  return r.chance(0.5) ? `"${v}"` : `「${v}」`;
}

export interface CommandShape {
  name: string;
  options: { name: string; kind: string; choices?: string[] }[];
  rest?: string;
}

/** What the generator needs to know of the router's commands. */
export function commandShapes(commands: readonly AnyCommand[]): CommandShape[] {
  return commands.map((c) => ({
    name: c.name,
    options: optionsOf(c.schema).map((o) => ({
      name: o.name,
      kind: o.kind,
      ...(o.choices ? { choices: o.choices } : {}),
    })),
    ...(c.rest ? { rest: c.rest } : {}),
  }));
}

function commandLine(r: Rng, shapes: readonly CommandShape[]): string {
  const known = r.chance(0.9);
  const shape = r.pick(shapes);
  const slash = r.chance(0.95) ? '/' : '／';
  const name = known ? (r.chance(0.9) ? shape.name : shape.name.toUpperCase()) : randomText(r, 6);
  const parts = [`${slash}${name}`];
  const count = r.int(0, 4);
  for (let i = 0; i < count; i++) {
    const o = shape.options.length && r.chance(0.85) ? r.pick(shape.options) : undefined;
    const key = o ? o.name : r.chance(0.5) ? 'lang' : randomText(r, 5).replace(/\s/g, '') || 'x';
    const sep = r.pick(['=', '=', '=', ':', '：']);
    const value = o ? optionValue(r, o) : r.pick(JUNK_VALUES);
    parts.push(`${key}${sep}${quoteIfNeeded(r, value)}`);
  }
  if (r.chance(0.6)) {
    parts.push(r.chance(0.85) ? randomText(r, 60) : longRun(r, 30_000));
  }
  return parts.join(r.chance(0.9) ? ' ' : r.pick(['  ', '\n', '\t', '\u3000']));
}

function primitive(r: Rng): unknown {
  return r.pick<() => unknown>([
    () => r.int(-10, 10_000),
    () => r.next() * 1e6,
    () => r.chance(0.5),
    () => r.pick(JUNK_VALUES),
    () => randomText(r, 20),
    () => longRun(r, 10_000),
    () => null,
    () => undefined,
    () => [1, 2],
    () => ({ nested: true }),
    () => Number.NaN,
    () => 10n,
  ])();
}

function invalidIncoming(r: Rng): unknown {
  return r.pick<() => unknown>([
    () => undefined,
    () => null,
    () => r.int(0, 100),
    () => randomText(r, 20),
    () => [],
    () => ({}),
    () => ({ text: primitive(r) }),
    () => ({
      platform: randomText(r, 5),
      user: primitive(r),
      channel: primitive(r),
      text: '/help',
    }),
    () => ({ user: { id: primitive(r) }, channel: { id: primitive(r) }, text: randomText(r, 30) }),
    () => ({ text: '', command: { name: primitive(r), options: primitive(r) } }),
    () => ({ text: '/chunk size=3', files: primitive(r) }),
    () => ({ text: '/chunk size=3', files: [{ name: primitive(r), text: primitive(r) }] }),
    () => ({ text: randomText(r, 20), lang: primitive(r) }),
  ])();
}

export interface FuzzMessage {
  seed: number;
  kind: string;
  /** What is passed to `Router.handle` (usually a valid Incoming, sometimes not). */
  incoming: unknown;
}

/** Command lines that succeed, so that answers (tables, long topics, files) get rendered too. */
const VALID = [
  '/vram llama-2-7b mode=full',
  '/vram 7b mode=lora seq=4096',
  '/vram model=llama-3-70b mode=inference batch=8',
  '/vram llama-2-13b zero=3 gpus=8 explain=true',
  '/vram qwen2-7b mode=qlora lang=zh',
  '/topic 5',
  '/topic 3 2',
  '/topic 10 lang=zh',
  '/topics',
  '/help',
  '/help vram',
  '/help chunk lang=zh',
  '/lang zh',
  '/lang auto',
  '/chunk size=20 overlap=5 ',
  '/chunk size=8 explain=true ',
  '/chunk unit=tokens size=8 overlap=2 ',
  '/tokens ',
  '/ask ',
  '/quiz 5 count=2 seconds=5',
  '/leaderboard all',
];

const PLATFORMS: readonly Platform[] = ['test', 'test', 'console', 'cli', 'discord', 'slack'];
const CONTINUE = ['more', '详细', 'go on', '1', '2', 'A', '继续', 'more please!!', '  '];
const QUIZ = ['/quiz', '/quiz stop', '/answer B', '/answer 7', '/leaderboard', '/stats', '/review'];

function kindOf(r: Rng): string {
  const x = r.next() * 1000;
  if (x < 1) return 'oversized';
  if (x < 250) return 'question';
  if (x < 580) return 'command';
  if (x < 680) return 'parsed';
  if (x < 760) return 'run';
  if (x < 810) return 'file';
  if (x < 850) return 'invalid';
  if (x < 900) return 'continue';
  if (x < 930) return 'quiz';
  if (x < 960) return 'mixed';
  return 'valid';
}

/** One adversarial message from its seed. */
export function generateMessage(seed: number, shapes: readonly CommandShape[]): FuzzMessage {
  const r = rng(seed);
  const kind = kindOf(r);
  const platform = r.pick(PLATFORMS);
  const base = {
    platform,
    user: { id: `u${r.int(1, 8)}`, ...(r.chance(0.3) ? { name: randomText(r, 8) } : {}) },
    channel: { id: `c${r.int(1, 4)}`, isDM: r.chance(0.3) },
    ...(r.chance(0.2) ? { lang: r.pick(['zh', 'en'] as const) } : {}),
  };
  let incoming: unknown;
  switch (kind) {
    case 'question':
      incoming = { ...base, text: randomText(r, r.chance(0.9) ? 40 : 400) };
      break;
    case 'command':
      incoming = { ...base, text: commandLine(r, shapes) };
      break;
    case 'parsed': {
      const shape = r.pick(shapes);
      const options: Record<string, unknown> = {};
      for (const o of shape.options) {
        if (r.chance(0.5)) options[o.name] = r.chance(0.5) ? optionValue(r, o) : primitive(r);
      }
      if (r.chance(0.1)) options[randomText(r, 4)] = primitive(r);
      incoming = { ...base, text: `/${shape.name}`, command: { name: shape.name, options } };
      break;
    }
    case 'run': {
      const prefix = r.pick([
        '',
        '/chunk ',
        '/chunk size=1 ',
        '/tokens ',
        '/ask ',
        '/topic ',
        '/help ',
      ]);
      incoming = { ...base, text: `${prefix}${longRun(r, 60_000)}` };
      break;
    }
    case 'file': {
      const size = r.pick(['1', '5', '50', '500', String(r.int(1, 100))]);
      const text = r.chance(0.7) ? randomText(r, 300) : longRun(r, 100_000);
      incoming = {
        ...base,
        text: `/chunk size=${size} overlap=${r.int(0, 3)}`,
        files: [{ name: randomText(r, 10) || 'f.txt', text }],
      };
      break;
    }
    case 'invalid':
      incoming = invalidIncoming(r);
      break;
    case 'continue':
      incoming = { ...base, text: r.pick(CONTINUE) };
      break;
    case 'quiz':
      incoming = { ...base, text: `${r.pick(QUIZ)} ${r.chance(0.5) ? randomText(r, 6) : ''}` };
      break;
    case 'oversized': {
      const prefix = r.pick([
        '',
        '/ask ',
        '/tokens ',
        `/chunk size=${r.pick(['10', '100', '500', '5000'])} `,
      ]);
      incoming = { ...base, text: `${prefix}${oversized(r)}` };
      break;
    }
    case 'valid': {
      const line = r.pick(VALID);
      const tail = line.endsWith(' ') ? randomText(r, r.chance(0.8) ? 80 : 3000) : '';
      incoming = { ...base, text: `${line}${tail}` };
      break;
    }
    default:
      incoming = { ...base, text: `${randomText(r, 20)}${commandLine(r, shapes)}` };
  }
  return { seed, kind, incoming };
}

/** A regression case written as a recipe (the inputs are megabytes long). */
export interface RecipeCase {
  note: string;
  prefix?: string;
  unit?: string;
  times?: number;
  suffix?: string;
  platform?: Platform;
  /** Attach the built text as a file instead of sending it. */
  asFile?: boolean;
  /** A whole Incoming-like value (type-invalid ones). */
  raw?: unknown;
}

export function recipeMessage(c: RecipeCase, index: number): FuzzMessage {
  if (c.raw !== undefined || (c.prefix === undefined && c.unit === undefined)) {
    return { seed: -1 - index, kind: 'regression', incoming: c.raw };
  }
  const body = (c.unit ?? '').repeat(c.times ?? 1);
  const base = {
    platform: c.platform ?? 'test',
    user: { id: 'regression' },
    channel: { id: 'regression', isDM: false },
  };
  const incoming = c.asFile
    ? { ...base, text: c.prefix ?? '/chunk', files: [{ name: 'case.txt', text: body }] }
    : { ...base, text: `${c.prefix ?? ''}${body}${c.suffix ?? ''}` };
  return { seed: -1 - index, kind: 'regression', incoming };
}
