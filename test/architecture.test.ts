import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const src = fileURLToPath(new URL('../src', import.meta.url));

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^\s*(?:import|export)[^'"]*from\s+'([^']+)'/gm)].map((m) => m[1]!);
}

const layerOf = (file: string) => relative(src, file).split('/')[0]!;

/** Arrows point one way: adapters → core → knowledge | tools | quiz → store. */
const forbidden: Record<string, string[]> = {
  core: ['adapters'],
  knowledge: ['adapters', 'core', 'tools', 'quiz', 'store'],
  tools: ['adapters', 'core', 'knowledge', 'quiz', 'store'],
  quiz: ['adapters', 'core'],
  store: ['adapters', 'core', 'knowledge', 'tools', 'quiz'],
};

describe('layering', () => {
  it('no layer imports one above it', () => {
    const violations: string[] = [];
    for (const file of files(src)) {
      const layer = layerOf(file);
      for (const spec of importsOf(file)) {
        if (!spec.startsWith('.')) continue;
        const target = layerOf(join(file, '..', spec));
        if (forbidden[layer]?.includes(target)) violations.push(`${relative(src, file)} → ${spec}`);
      }
    }
    expect(violations).toEqual([]);
  });

  it('knowledge and tools know nothing of Discord or Slack', () => {
    for (const file of files(src)) {
      if (!['knowledge', 'tools', 'core'].includes(layerOf(file))) continue;
      expect(readFileSync(file, 'utf8'), file).not.toMatch(/from '(discord\.js|@slack\/bolt)'/);
    }
  });

  it('the core knows the store only by its interface (main.ts and compose.ts choose one)', () => {
    const violations: string[] = [];
    for (const file of files(src)) {
      if (layerOf(file) !== 'core') continue;
      for (const spec of importsOf(file)) {
        const concrete = spec.startsWith('.')
          ? relative(src, join(file, '..', spec)).startsWith('store/') &&
            relative(src, join(file, '..', spec)) !== 'store/types.js'
          : /^(better-sqlite3|pg|postgres)$/.test(spec);
        if (concrete) violations.push(`${relative(src, file)} → ${spec}`);
      }
    }
    expect(violations).toEqual([]);
  });
});
