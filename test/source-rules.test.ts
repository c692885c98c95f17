/**
 * Rules over the source text that no linter checks for us, on the syntax tree of every file
 * under src/:
 * - Biome has no rule against spreading an array into a call's arguments, which throws
 *   `RangeError: Maximum call stack size exceeded` once the array has ~120,000 elements
 *   (`Math.max(...sizes)` crashed /chunk).
 * - No function is longer than 80 lines (a screen). Biome's noExcessiveLinesPerFunction could
 *   count them, but it cannot exempt single functions by name, which the list below needs.
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

/** Longest a function may be, in lines from its first to its last. */
const MAX_FUNCTION_LINES = 80;

/** The name a function is known by: its own, or the variable or property it is assigned to. */
function nameOf(node: ts.FunctionLikeDeclaration): string {
  if (node.name) return node.name.getText();
  const parent = node.parent;
  if (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent)) {
    return parent.name.getText();
  }
  if (ts.isConstructorDeclaration(node)) return 'constructor';
  return '<anonymous>';
}

/** Every function with a body longer than `max` lines, as `file: name (n lines)`. */
function longFunctions(fileName: string, text: string, max = MAX_FUNCTION_LINES): string[] {
  const file = ts.createSourceFile(fileName, text, ts.ScriptTarget.ES2022, true);
  const found: string[] = [];
  const line = (pos: number) => file.getLineAndCharacterOfPosition(pos).line;
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const lines = line(node.getEnd()) - line(node.getStart()) + 1;
      if (lines > max) found.push(`${fileName}: ${nameOf(node)} (${lines} lines)`);
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

  it('measures functions of every kind (the checker itself)', () => {
    const body = (n: number) => Array.from({ length: n }, (_, i) => `  f(${i});`).join('\n');
    const sample = [
      `function long() {\n${body(78)}\n}`,
      `const arrow = () => {\n${body(80)}\n};`,
      `class C {\n  method() {\n${body(3)}\n  }\n}`,
      `const o = { prop: function () {\n${body(90)}\n} };`,
    ].join('\n');
    expect(longFunctions('s.ts', sample)).toEqual([
      's.ts: arrow (82 lines)',
      's.ts: prop (92 lines)',
    ]);
    expect(longFunctions('s.ts', sample, 3)).toContain('s.ts: method (5 lines)');
  });

  it(`src/ has no function over ${MAX_FUNCTION_LINES} lines`, () => {
    const found = files(src).flatMap((f) =>
      longFunctions(relative(src, f), readFileSync(f, 'utf8')),
    );
    expect(found).toEqual([]);
  });
});
