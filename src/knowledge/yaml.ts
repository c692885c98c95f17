/**
 * YAML parsing with the build's parse cache. The topic files' front matter and the quiz bank
 * are YAML, and parsing them took ~0.6 s of every start — a third of the time to the terminal
 * chat's first prompt. `npm run build` therefore parses the bundled files once and writes
 * `dist/yaml-cache.json`: the SHA-256 of each YAML text → its value as JSON. At start-up a
 * text whose hash is in the cache is read with `JSON.parse` (about 20× faster); any other text
 * (a file edited since the build, a run from `src/` with no cache, a test's own bank) goes to
 * the YAML parser. Either way the caller validates the value afterwards, so the cache changes
 * how fast a value arrives, never which value.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { parse } from 'yaml';

/** Hash of a YAML text → its parsed value, as JSON text (parsed afresh on every hit). */
export type YamlCache = Map<string, string>;

/** Where the built code finds the cache: `dist/yaml-cache.json` (one level above this file). */
export const YAML_CACHE_PATH = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  'yaml-cache.json',
);

let loaded: YamlCache | undefined;
let recording: YamlCache | undefined;
const stats = { hits: 0, misses: 0 };

function hashOf(text: string): string {
  return createHash('sha256').update(text).digest('base64');
}

/** The cache at `path`; empty when there is none or it cannot be read (then YAML is parsed). */
export function readYamlCache(path: string = YAML_CACHE_PATH): YamlCache {
  if (!existsSync(path)) return new Map();
  try {
    const raw: unknown = JSON.parse(readFileSync(path, 'utf8'));
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return new Map();
    return new Map(
      Object.entries(raw).filter((e): e is [string, string] => typeof e[1] === 'string'),
    );
  } catch {
    return new Map();
  }
}

/**
 * Parse a YAML text: from `cache` (default: the build's) when its hash is there, else with
 * the YAML parser (which throws on invalid YAML, as always).
 */
export function parseYaml(text: string, cache?: YamlCache): unknown {
  loaded ??= readYamlCache();
  const from = cache ?? loaded;
  const key = from.size > 0 || recording ? hashOf(text) : '';
  const hit = from.get(key);
  if (hit !== undefined) {
    stats.hits++;
    return JSON.parse(hit);
  }
  stats.misses++;
  const value: unknown = parse(text);
  // only values that survive JSON unchanged are cached (no NaN, no Infinity, no undefined)
  const json = JSON.stringify(value);
  if (recording && json !== undefined && isDeepStrictEqual(JSON.parse(json), value)) {
    recording.set(key, json);
  }
  return value;
}

/**
 * Run `load` with the YAML parser only (no cache) and return every text it parsed, as a
 * cache: the build calls this around the bundled loaders and writes the result.
 */
export function recordYaml(load: () => void): YamlCache {
  const saved = loaded;
  loaded = new Map();
  recording = new Map();
  try {
    load();
    return recording;
  } finally {
    recording = undefined;
    loaded = saved;
  }
}

/** The cache as the JSON text of `dist/yaml-cache.json` (keys sorted: the same every build). */
export function serializeYamlCache(cache: YamlCache): string {
  return `${JSON.stringify(Object.fromEntries([...cache].sort(([a], [b]) => (a < b ? -1 : 1))))}\n`;
}

/** How many texts came from the cache and how many were parsed, since the process started. */
export function yamlCacheStats(): { hits: number; misses: number } {
  return { ...stats };
}
