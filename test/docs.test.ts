/**
 * docs/DESIGN.md tells the truth about the tree: every path it names in backticks exists. A
 * path is a backticked word that starts at a top folder of the repository (`src/…`, `test/…`),
 * or a file name (`classifier.ts`) that must exist somewhere in the tree.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const TOP = ['src', 'test', 'bench', 'scripts', 'training', 'docs'];

function allNames(dir: string, out = new Set<string>()): Set<string> {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue;
    const path = join(dir, name);
    out.add(name);
    if (statSync(path).isDirectory()) allNames(path, out);
  }
  return out;
}

/** The paths a Markdown text names: `src/x/{a,b}.ts` counts as two, `…` and `*` end a path. */
function namedPaths(text: string): { paths: string[]; files: string[] } {
  const paths: string[] = [];
  const files: string[] = [];
  for (const [, raw] of text.matchAll(/`([^`\s]+)`/g)) {
    const word = raw!.replace(/[…*].*$/, '').replace(/[.,:;]+$/, '');
    const brace = /^(.*)\{([^}]*)\}(.*)$/.exec(word);
    const words = brace ? brace[2]!.split(',').map((b) => `${brace[1]}${b}${brace[3]}`) : [word];
    for (const w of words) {
      if (w.includes('<')) continue; // a pattern (`src/<folder>/<file>.ts`), not a path
      if (TOP.includes(w.split('/')[0]!) && w.includes('/')) paths.push(w);
      else if (/^[\w-]+\.(ts|md|json|yaml)$/.test(w)) files.push(w);
    }
  }
  return { paths, files };
}

describe('docs/DESIGN.md', () => {
  const text = readFileSync(join(root, 'docs', 'DESIGN.md'), 'utf8');

  it('finds the paths a text names (the checker itself)', () => {
    const sample =
      'see `src/core/router.ts`, `src/<x>.ts`, `test/{a,b}.test.ts`, `test/adapters/…/quiz.test.ts`, `x.ts`, `npm test`, `/help`, `a/b`';
    expect(namedPaths(sample)).toEqual({
      paths: ['src/core/router.ts', 'test/a.test.ts', 'test/b.test.ts', 'test/adapters/'],
      files: ['x.ts'],
    });
  });

  it('names only paths that exist', () => {
    const { paths, files } = namedPaths(text);
    expect(paths.length).toBeGreaterThan(20);
    expect(paths.filter((p) => !existsSync(join(root, p)))).toEqual([]);
    const names = allNames(root);
    expect(files.filter((f) => !names.has(f))).toEqual([]);
  });
});
