/**
 * Parses a text command line: `/vram model=llama-2-7b seq=4096`, `key:value`,
 * positional values and "quoted strings" (「」 and “” too), then validates it against
 * the command's zod schema. Every problem becomes a message naming the option.
 */
import type { AnyCommand } from './command.js';
import { type OptionInfo, optionsOf, usageLine } from './options.js';
import { quoteValue } from './sanitize.js';
import type { Lang } from './types.js';

export interface ParsedLine {
  name: string;
  /** Everything after the command name, verbatim. */
  argText: string;
}

/** Split `/name rest…` (also `／name` typed on a Chinese keyboard). Null if not a command. */
export function splitCommandLine(text: string): ParsedLine | null {
  const m = /^\s*[/／]([\p{L}\p{N}_:-]+)(?:\s+([\s\S]*))?$/u.exec(text);
  if (!m) return null;
  return { name: m[1]!.toLowerCase(), argText: (m[2] ?? '').trim() };
}

interface Token {
  text: string;
  start: number;
  quoted: boolean;
}

const QUOTES: Record<string, string> = { '"': '"', "'": "'", '“': '”', '「': '」', '‘': '’' };

/** Where a token may end or a quote begin (the scanner jumps between these natively). */
const STOP = /[\s"'“「‘]/g;
const SPACES = /\s*/y;

/**
 * The tokens of an argument line, one at a time (a command whose last option takes the rest of
 * the line stops reading at its first free word). Linear time: a quote that has no closing
 * quote after some position has none after any later one either, so each is looked for once.
 */
function* tokenize(input: string): Generator<Token> {
  const unclosedFrom = new Map<string, number>(); // close quote → no match at or after this
  const n = input.length;
  let i = 0;
  for (;;) {
    SPACES.lastIndex = i;
    SPACES.test(input);
    i = SPACES.lastIndex;
    if (i >= n) return;
    const start = i;
    let text = '';
    let from = i; // start of the plain run not yet added to `text`
    let quoted = false;
    for (;;) {
      STOP.lastIndex = i;
      const stop = STOP.exec(input);
      if (!stop) {
        i = n;
        break;
      }
      i = stop.index;
      const close = QUOTES[stop[0]];
      if (!close) break; // whitespace: the token ends
      if (i + 1 < (unclosedFrom.get(close) ?? n + 1)) {
        const end = input.indexOf(close, i + 1);
        if (end !== -1) {
          if (i === start) quoted = true; // "a whole quoted token" is never key=value
          text += input.slice(from, i) + input.slice(i + 1, end);
          i = end + 1;
          from = i;
          continue;
        }
        unclosedFrom.set(close, i + 1);
      }
      i++; // an unclosed quote is an ordinary character
    }
    yield { text: text + input.slice(from, i), start, quoted };
  }
}

export type ArgsResult =
  | {
      ok: true;
      values: Record<string, unknown>;
      /** `lang=zh|en`, accepted by every command: the reply language for this one command. */
      lang?: Lang;
    }
  | { ok: false; option?: string; message: Record<Lang, string> };

const KEY_VALUE = /^([a-z][a-z0-9_]*)[=:：]([\s\S]*)$/i;

/** Turn the argument text of a command into raw option values (strings), by the command's shape. */
export function parseArgText(command: AnyCommand, argText: string): ArgsResult {
  const options = optionsOf(command.schema);
  const names = new Set(options.map((o) => o.name));
  const positional = (command.positional ?? []).filter((p: string) => p !== command.rest);
  const values: Record<string, unknown> = {};
  let lang: Lang | undefined;
  let next = 0;
  for (const tok of tokenize(argText)) {
    const kv = tok.quoted ? null : KEY_VALUE.exec(tok.text);
    const key = kv?.[1]?.toLowerCase();
    if (kv && key === 'lang' && !names.has('lang') && /^(zh|en)$/i.test(kv[2] ?? '')) {
      lang = (kv[2] ?? '').toLowerCase() as Lang;
      continue;
    }
    if (kv && key && names.has(key)) {
      if (key in values) {
        return fail(key, `option "${key}" is given twice`, `选项 "${key}" 重复了`);
      }
      values[key] = kv[2];
      continue;
    }
    if (kv && key && !command.rest && !/^https?$/i.test(key)) {
      const list = options.map((o) => o.name).join(', ');
      return fail(
        key,
        `unknown option ${quoteValue(key)}. Options: ${list}`,
        `没有 ${quoteValue(key, 'zh')} 这个选项。可用选项:${list}`,
      );
    }
    if (next < positional.length) {
      const name = positional[next++]!;
      if (!(name in values)) values[name] = tok.text;
      continue;
    }
    if (command.rest) {
      values[command.rest] = argText.slice(tok.start);
      break;
    }
    return fail(
      undefined,
      `unexpected value ${quoteValue(tok.text)}; write options as name=value`,
      `多余的参数 ${quoteValue(tok.text, 'zh')};选项请写成 名称=值`,
    );
  }
  return lang ? { ok: true, values, lang } : { ok: true, values };
}

function fail(option: string | undefined, en: string, zh: string): ArgsResult {
  return option === undefined
    ? { ok: false, message: { en, zh } }
    : { ok: false, option, message: { en, zh } };
}

function expected(o: OptionInfo, lang: Lang): string {
  const zh = lang === 'zh';
  if (o.choices) return (zh ? '可选:' : 'one of: ') + o.choices.join(', ');
  const range =
    o.min !== undefined || o.max !== undefined ? ` ${o.min ?? '…'}–${o.max ?? '…'}` : '';
  switch (o.kind) {
    case 'integer':
      return zh ? `整数${range}` : `a whole number${range}`;
    case 'number':
      return zh ? `数字${range}` : `a number${range}`;
    case 'boolean':
      return zh ? 'true 或 false' : 'true or false';
    default:
      return zh ? '文本' : 'text';
  }
}

/** Validate raw values with the command's schema; on failure, a message naming the option. */
export function validateArgs(
  command: AnyCommand,
  values: Record<string, unknown>,
):
  | { ok: true; args: Record<string, unknown> }
  | { ok: false; option?: string; message: Record<Lang, string> } {
  const parsed = command.schema.safeParse(values);
  if (parsed.success) return { ok: true, args: parsed.data };
  const issue = parsed.error.issues[0]!;
  const option = issue.path.length > 0 ? String(issue.path[0]) : undefined;
  const info = optionsOf(command.schema).find((o) => o.name === option);
  const given = option !== undefined ? values[option] : undefined;
  if (!info || option === undefined) {
    return { ok: false, message: { en: issue.message, zh: issue.message } };
  }
  // zod's own wording is English and repeats the range we state below; a refinement's
  // message (code "custom") says something the range does not, so it is kept
  const detail = issue.code === 'custom' ? `: ${issue.message}` : '';
  const what =
    given === undefined
      ? { en: `"${option}" is required`, zh: `缺少 "${option}"` }
      : {
          en: `"${option}" got ${quoteValue(given)}${detail}`,
          zh: `"${option}" 的值 ${quoteValue(given, 'zh')} 不对${detail ? `:${issue.message}` : ''}`,
        };
  return {
    ok: false,
    option,
    message: {
      en: `${what.en} (expected ${expected(info, 'en')}).`,
      zh: `${what.zh}(应为${expected(info, 'zh')})。`,
    },
  };
}

export function commandUsage(command: AnyCommand): string {
  return usageLine(command.name, command.schema, command.positional, command.rest);
}
