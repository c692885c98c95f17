/**
 * Reading a command's zod schema: option names, kinds, choices, defaults and descriptions.
 * Everything that describes options to a user (/help, usage lines, error messages,
 * Discord's option registration, Slack's manifest) is derived from here.
 */
import type { z } from 'zod';
import { optionDescription } from './command.js';
import type { Lang } from './types.js';

export type OptionKind = 'string' | 'number' | 'integer' | 'boolean' | 'enum';

export interface OptionInfo {
  name: string;
  kind: OptionKind;
  required: boolean;
  choices?: string[];
  defaultValue?: unknown;
  min?: number;
  max?: number;
  description: Record<Lang, string>;
}

interface Def {
  type: string;
  innerType?: z.ZodType;
  out?: z.ZodType;
  in?: z.ZodType;
  entries?: Record<string, string | number>;
  values?: unknown[];
  defaultValue?: unknown;
  checks?: {
    _zod: { def: { check: string; value?: number; inclusive?: boolean; format?: string } };
  }[];
  format?: string;
}

function defOf(schema: z.ZodType): Def {
  return (schema as unknown as { def: Def }).def;
}

/** Describe one option schema (unwrapping optional, default, pipes and coercions). */
export function optionInfo(name: string, schema: z.ZodType): OptionInfo {
  const description = {
    en: optionDescription(schema, 'en') ?? '',
    zh: optionDescription(schema, 'zh') ?? '',
  };
  let required = true;
  let defaultValue: unknown;
  let s: z.ZodType = schema;
  for (let i = 0; i < 10; i++) {
    const d = defOf(s);
    if (d.type === 'optional' || d.type === 'nullable') {
      required = false;
      s = d.innerType!;
    } else if (d.type === 'default' || d.type === 'prefault') {
      required = false;
      const v = d.defaultValue;
      defaultValue = typeof v === 'function' ? (v as () => unknown)() : v;
      s = d.innerType!;
    } else if (d.type === 'pipe') {
      // z.preprocess(fn, schema) is a pipe from a transform into `out`
      s = defOf(d.in!).type === 'transform' ? d.out! : d.in!;
    } else break;
  }
  const d = defOf(s);
  const info: OptionInfo = { name, kind: 'string', required, description };
  if (defaultValue !== undefined) info.defaultValue = defaultValue;
  if (d.type === 'enum') {
    info.kind = 'enum';
    info.choices = Object.values(d.entries ?? {}).map(String);
  } else if (d.type === 'literal') {
    info.kind = 'enum';
    info.choices = (d.values ?? []).map(String);
  } else if (d.type === 'boolean') {
    info.kind = 'boolean';
  } else if (d.type === 'number' || d.type === 'int') {
    info.kind = d.format?.includes('int') ? 'integer' : 'number';
    for (const c of d.checks ?? []) {
      const cd = c._zod.def;
      if (cd.check === 'greater_than' && cd.value !== undefined) info.min = cd.value;
      if (cd.check === 'less_than' && cd.value !== undefined) info.max = cd.value;
      if (cd.check === 'number_format' && cd.format?.includes('int')) info.kind = 'integer';
    }
  }
  return info;
}

export function optionsOf(schema: z.ZodObject): OptionInfo[] {
  return Object.entries(schema.shape).map(([name, s]) => optionInfo(name, s as z.ZodType));
}

/** A compact usage line: `/topic <n> [section]`, `/vram [model] [mode=full|lora|…]`. */
export function usageLine(
  name: string,
  schema: z.ZodObject,
  positional: readonly string[] = [],
  rest?: string,
): string {
  const parts = [`/${name}`];
  for (const o of optionsOf(schema)) {
    let shown: string;
    if (positional.includes(o.name) || o.name === rest) {
      shown = o.required ? `<${o.name}>` : `[${o.name}]`;
    } else {
      const value = o.choices ? o.choices.join('|') : o.kind === 'boolean' ? 'true|false' : o.kind;
      shown = o.required ? `${o.name}=<${value}>` : `[${o.name}=${value}]`;
    }
    parts.push(shown);
  }
  return parts.join(' ');
}
