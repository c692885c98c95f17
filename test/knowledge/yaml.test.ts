/**
 * The YAML parse cache (src/knowledge/yaml.ts): a cached text gives the parser's value, an
 * edited text is parsed, a value JSON cannot hold is never cached, a broken cache file is
 * ignored, and invalid YAML still throws.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  parseYaml,
  readYamlCache,
  recordYaml,
  serializeYamlCache,
  yamlCacheStats,
} from '../../src/knowledge/yaml.js';
import { tempDir } from '../quiz/helpers.js';

const TEXT =
  'topic: 5\ntitle: GPU memory\nkeywords: [adam, zero, "8"]\nnested: {a: [1, 2.5, null]}\n';

describe('the YAML parse cache', () => {
  it('records what a loader parses and serves the same value from the cache', () => {
    const cache = recordYaml(() => {
      parseYaml(TEXT);
    });
    expect(cache.size).toBe(1);
    const before = yamlCacheStats();
    const first = parseYaml(TEXT, cache);
    const second = parseYaml(TEXT, cache);
    expect(first).toEqual(parse(TEXT));
    expect(second).toEqual(first);
    expect(second).not.toBe(first); // a fresh value each time: callers may keep or change it
    expect(yamlCacheStats().hits - before.hits).toBe(2);
    expect(yamlCacheStats().misses - before.misses).toBe(0);
  });

  it('parses a text edited since the cache was written', () => {
    const cache = recordYaml(() => {
      parseYaml(TEXT);
    });
    const edited = TEXT.replace('topic: 5', 'topic: 6');
    const before = yamlCacheStats();
    expect(parseYaml(edited, cache)).toMatchObject({ topic: 6 });
    expect(yamlCacheStats().misses - before.misses).toBe(1);
  });

  it('never caches a value JSON would change (NaN, infinity)', () => {
    const odd = 'a: .nan\nb: .inf\n';
    const cache = recordYaml(() => {
      parseYaml(odd);
    });
    expect(cache.size).toBe(0);
    expect(parseYaml(odd, cache)).toEqual({ a: Number.NaN, b: Number.POSITIVE_INFINITY });
  });

  it('reads its file back; a missing or broken file is an empty cache', () => {
    const tmp = tempDir('llm-tutor-yaml-');
    try {
      const file = join(tmp.dir, 'cache.json');
      const cache = recordYaml(() => {
        parseYaml(TEXT);
      });
      writeFileSync(file, serializeYamlCache(cache));
      expect(readYamlCache(file)).toEqual(cache);
      expect(parseYaml(TEXT, readYamlCache(file))).toEqual(parse(TEXT));
      expect(readYamlCache(join(tmp.dir, 'none.json')).size).toBe(0);
      for (const broken of ['{not json', '[1, 2]', 'null', '{"k": 5}']) {
        writeFileSync(file, broken);
        expect(readYamlCache(file).size, broken).toBe(0);
      }
    } finally {
      tmp.cleanup();
    }
  });

  it('still throws on invalid YAML: it is never cached, so it always reaches the parser', () => {
    const bad = 'a: [1, 2\nb: }';
    const cache = recordYaml(() => {
      parseYaml(TEXT);
      expect(() => parseYaml(bad)).toThrow();
    });
    expect(cache.size).toBe(1);
    expect(() => parseYaml(bad, cache)).toThrow();
  });
});
