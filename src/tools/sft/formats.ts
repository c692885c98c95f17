/**
 * The three SFT record formats and how each becomes a list of turns: Alpaca
 * (`instruction`/`input`/`output`), ShareGPT (`conversations` of `from`/`value`) and OpenAI chat
 * (`messages` of `role`/`content`). A record that does not fit its format gets a message saying
 * what is missing, in English and Chinese.
 */

export const SFT_FORMATS = ['alpaca', 'sharegpt', 'openai'] as const;
export type SftFormat = (typeof SFT_FORMATS)[number];

export const FORMAT_LABELS: Record<SftFormat, string> = {
  alpaca: 'Alpaca (instruction/input/output)',
  sharegpt: 'ShareGPT (conversations: from/value)',
  openai: 'OpenAI chat (messages: role/content)',
};

/** A turn's role after mapping ShareGPT's names (human → user, gpt → assistant). */
export type Role = 'system' | 'user' | 'assistant' | 'tool' | 'unknown';

export interface Turn {
  role: Role;
  /** The role as written in the file (for messages about unknown roles). */
  raw: string;
  text: string;
}

export interface Problem {
  en: string;
  zh: string;
}

export type Normalized = { ok: true; turns: Turn[] } | { ok: false; problem: Problem };

const SHAREGPT_ROLES: Record<string, Role> = {
  system: 'system',
  human: 'user',
  user: 'user',
  gpt: 'assistant',
  assistant: 'assistant',
  chatgpt: 'assistant',
  bing: 'assistant',
  bard: 'assistant',
  tool: 'tool',
  function: 'tool',
  observation: 'tool',
  function_call: 'tool',
};
const OPENAI_ROLES: Record<string, Role> = {
  system: 'system',
  developer: 'system',
  user: 'user',
  assistant: 'assistant',
  tool: 'tool',
  function: 'tool',
};

type Obj = Record<string, unknown>;

const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The format a parsed record looks like, or undefined. */
export function detectFormat(value: unknown): SftFormat | undefined {
  if (!isObject(value)) return undefined;
  if (Array.isArray(value.messages)) return 'openai';
  if (Array.isArray(value.conversations)) return 'sharegpt';
  if ('instruction' in value || 'output' in value) return 'alpaca';
  return undefined;
}

const FIELD_HINT: Record<SftFormat, Problem> = {
  alpaca: { en: '"instruction" and "output" strings', zh: '字符串字段 "instruction" 和 "output"' },
  sharegpt: {
    en: 'a "conversations" array of {"from","value"}',
    zh: '由 {"from","value"} 组成的 "conversations" 数组',
  },
  openai: {
    en: 'a "messages" array of {"role","content"}',
    zh: '由 {"role","content"} 组成的 "messages" 数组',
  },
};

/** Why a record is not of `format`: what it is instead, and what the format needs. */
export function wrongShape(value: unknown, format: SftFormat): Problem {
  const other = detectFormat(value);
  const need = FIELD_HINT[format];
  if (!isObject(value)) {
    const kind = Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value;
    return {
      en: `expected a JSON object with ${need.en}, got ${kind}`,
      zh: `应为包含${need.zh}的 JSON 对象，实际是 ${kind}`,
    };
  }
  if (other && other !== format) {
    return {
      en: `this record is in ${FORMAT_LABELS[other]} format, but the file is ${FORMAT_LABELS[format]}; expected ${need.en}`,
      zh: `这条记录是 ${FORMAT_LABELS[other]} 格式，但文件是 ${FORMAT_LABELS[format]} 格式；应为${need.zh}`,
    };
  }
  return { en: `missing ${need.en}`, zh: `缺少${need.zh}` };
}

function alpaca(v: Obj): Normalized {
  for (const key of ['instruction', 'output'] as const) {
    if (typeof v[key] !== 'string') {
      return {
        ok: false,
        problem:
          v[key] === undefined
            ? { en: `missing field "${key}"`, zh: `缺少字段 "${key}"` }
            : { en: `field "${key}" is not a string`, zh: `字段 "${key}" 不是字符串` },
      };
    }
  }
  if (v.input !== undefined && v.input !== null && typeof v.input !== 'string') {
    return {
      ok: false,
      problem: { en: 'field "input" is not a string', zh: '字段 "input" 不是字符串' },
    };
  }
  const turns: Turn[] = [];
  if (typeof v.system === 'string' && v.system.trim()) {
    turns.push({ role: 'system', raw: 'system', text: v.system });
  }
  const input = typeof v.input === 'string' && v.input.trim() ? `\n\n${v.input}` : '';
  turns.push({ role: 'user', raw: 'instruction', text: `${v.instruction as string}${input}` });
  turns.push({ role: 'assistant', raw: 'output', text: v.output as string });
  return { ok: true, turns };
}

function chat(
  list: unknown[],
  roleKey: string,
  textKey: string,
  roles: Record<string, Role>,
): Normalized {
  if (list.length === 0) {
    return { ok: false, problem: { en: 'the conversation is empty', zh: '对话为空' } };
  }
  const turns: Turn[] = [];
  for (let i = 0; i < list.length; i++) {
    const m = list[i];
    const at = { en: `turn ${i + 1}`, zh: `第 ${i + 1} 轮` };
    if (!isObject(m)) {
      return { ok: false, problem: { en: `${at.en} is not an object`, zh: `${at.zh}不是对象` } };
    }
    const raw = m[roleKey];
    if (typeof raw !== 'string') {
      return {
        ok: false,
        problem: {
          en: `${at.en} has no "${roleKey}" string`,
          zh: `${at.zh}缺少字符串 "${roleKey}"`,
        },
      };
    }
    const text = m[textKey];
    const role = roles[raw.trim().toLowerCase()] ?? 'unknown';
    if (typeof text !== 'string') {
      // an assistant turn that only calls a tool has null content in OpenAI's format
      if (text === null && roleKey === 'role' && (role === 'assistant' || role === 'tool')) {
        turns.push({ role: 'tool', raw, text: '' });
        continue;
      }
      return {
        ok: false,
        problem: {
          en: `${at.en} has no "${textKey}" string`,
          zh: `${at.zh}缺少字符串 "${textKey}"`,
        },
      };
    }
    turns.push({ role, raw, text });
  }
  return { ok: true, turns };
}

/** The turns of a parsed record in `format`, or what is wrong with it. */
export function normalize(value: unknown, format: SftFormat): Normalized {
  if (detectFormat(value) !== format || !isObject(value)) {
    return { ok: false, problem: wrongShape(value, format) };
  }
  if (format === 'alpaca') return alpaca(value);
  if (format === 'sharegpt') {
    return chat(value.conversations as unknown[], 'from', 'value', SHAREGPT_ROLES);
  }
  return chat(value.messages as unknown[], 'role', 'content', OPENAI_ROLES);
}
