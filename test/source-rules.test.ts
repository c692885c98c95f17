/**
 * Rules over the source text that no linter checks for us. Biome has no rule against spreading
 * an array into a call's arguments, which throws `RangeError: Maximum call stack size exceeded`
 * once the array has ~120,000 elements (`Math.max(...sizes)` crashed /chunk), so it is checked
 * here on the syntax tree of every file under src/.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const src = fileURLToPath(new URL('../src', import.meta.url));

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** `f(...xs)`, `new F(...xs)` and `f.apply(this, xs)`: every element becomes a stack slot. */
function spreadCalls(fileName: string, text: string): string[] {
  const file = ts.createSourceFile(fileName, text, ts.ScriptTarget.ES2022, true);
  const found: string[] = [];
  const at = (node: ts.Node) =>
    `${fileName}:${file.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
  const visit = (node: ts.Node): void => {
    if (
      ts.isSpreadElement(node) &&
      (ts.isCallExpression(node.parent) || ts.isNewExpression(node.parent))
    ) {
      found.push(`${at(node)}: ${node.parent.getText().slice(0, 80)}`);
    }
    if (
      ts.isCallExpression(node) &&
      ts.isPropertyAccessExpression(node.expression) &&
      node.expression.name.text === 'apply' &&
      node.arguments.length === 2
    ) {
      found.push(`${at(node)}: ${node.getText().slice(0, 80)}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

describe('source rules', () => {
  it('finds spreads into arguments (the checker itself)', () => {
    const sample = [
      'Math.max(...sizes);',
      'out.push(a, ...more);',
      'new Set(...x);',
      'String.fromCharCode.apply(null, codes);',
      'const ok = [...xs, ...ys]; const o = { ...a }; f(xs);',
    ].join('\n');
    expect(spreadCalls('sample.ts', sample).map((s) => s.split(':')[1])).toEqual([
      '1',
      '2',
      '3',
      '4',
    ]);
  });

  it('src/ never spreads an array into a call (a long array overflows the stack)', () => {
    const found = files(src).flatMap((f) => spreadCalls(relative(src, f), readFileSync(f, 'utf8')));
    expect(found).toEqual([]);
  });
});
