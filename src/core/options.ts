/**
 * Reading a command's zod schema: option names, kinds, choices, defaults and descriptions.
 * Everything that describes options to a user (/help, usage lines, error messages,
 * Discord's option registration, Slack's manifest) is derived from here.
 */
import { z } from 'zod';
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

/** What wraps an option's type: optional, default and pipe layers, read by zod's public API. */
function unwrap(schema: z.ZodType): { inner: z.ZodType; required: boolean; defaultValue: unknown } {
  let required = true;
  let defaultValue: unknown;
  let s: z.ZodType = schema;
  for (let i = 0; i < 10; i++) {
    if (s instanceof z.ZodOptional || s instanceof z.ZodNullable) {
      required = false;
      s = s.unwrap() as z.ZodType;
    } else if (s instanceof z.ZodDefault || s instanceof z.ZodPrefault) {
      required = false;
      const v: unknown = s.def.defaultValue;
      defaultValue = typeof v === 'function' ? (v as () => unknown)() : v;
      s = s.unwrap() as z.ZodType;
    } else if (s instanceof z.ZodPipe) {
      // z.preprocess(fn, schema) is a pipe from a transform into `out`
      s = (s.in instanceof z.ZodTransform ? s.out : s.in) as z.ZodType;
    } else break;
  }
  return { inner: s, required, defaultValue };
}

/** A bound worth showing: `.int()` alone implies ±MAX_SAFE_INTEGER, which says nothing. */
const shownBound = (n: number | null): n is number =>
  n !== null && Number.isFinite(n) && Math.abs(n) < Number.MAX_SAFE_INTEGER;

/** Describe one option schema (unwrapping optional, default, pipes and coercions). */
export function optionInfo(name: string, schema: z.ZodType): OptionInfo {
  const description = {
    en: optionDescription(schema, 'en') ?? '',
    zh: optionDescription(schema, 'zh') ?? '',
  };
  const { inner: s, required, defaultValue } = unwrap(schema);
  const info: OptionInfo = { name, kind: 'string', required, description };
  if (defaultValue !== undefined) info.defaultValue = defaultValue;
  if (s instanceof z.ZodEnum) {
    info.kind = 'enum';
    info.choices = s.options.map(String);
  } else if (s instanceof z.ZodLiteral) {
    info.kind = 'enum';
    info.choices = [...s.values].map(String);
  } else if (s instanceof z.ZodBoolean) {
    info.kind = 'boolean';
  } else if (s instanceof z.ZodNumber) {
    info.kind = s.isInt ? 'integer' : 'number';
    if (shownBound(s.minValue)) info.min = s.minValue;
    if (shownBound(s.maxValue)) info.max = s.maxValue;
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
