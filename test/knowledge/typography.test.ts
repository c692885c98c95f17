/**
 * Chinese typography of the Chinese knowledge-base files and the Chinese quiz bank:
 * Chinese prose uses full-width punctuation (，。；：？！), and no line starts with a mark
 * that may not begin a line. Half-width marks stay allowed inside code, numbers (2,048,
 * 3.1) and English terms (Liu et al., 2023), because they never sit between two Chinese
 * characters there.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { defaultContentDir } from '../../src/knowledge/load.js';
import { defaultBankDir } from '../../src/quiz/index.js';

const HALF_WIDTH_BETWEEN_HAN = /\p{Script=Han}[,.;:?!]\p{Script=Han}/u;
/** The same inside one prose string, allowing spaces around the mark ("数据, 模型"). */
const HALF_WIDTH_BETWEEN_HAN_SPACED = /\p{Script=Han}[ \t]*[,.;:?!][ \t]*\p{Script=Han}/u;
const LINE_START_MARK = /^[、。，；：？！,.;:?!]/u;
/** Indentation, a list marker, a YAML key and an opening quote come before a line's text. */
const LINE_LEAD = /^\s*(?:-\s+)?(?:[A-Za-z_][\w.-]*:\s+)?["'“]?/u;

function startsWithMark(line: string): boolean {
  return LINE_START_MARK.test(line.replace(LINE_LEAD, ''));
}

/** Every string value in parsed YAML (questions, options, explanations, keywords, …). */
function stringsOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsOf);
  if (value && typeof value === 'object') return Object.values(value).flatMap(stringsOf);
  return [];
}

function proseIssues(text: string, where: string): string[] {
  const issues: string[] = [];
  const prose = text.replace(/`[^`\n]*`/g, '`code`');
  if (HALF_WIDTH_BETWEEN_HAN_SPACED.test(prose)) {
    issues.push(`${where}: half-width mark between Chinese characters in "${text.slice(0, 60)}"`);
  }
  for (const line of text.split('\n')) {
    if (startsWithMark(line)) issues.push(`${where}: line starts with a mark: "${line}"`);
  }
  return issues;
}

/** All typography problems of one Chinese file (Markdown with front matter, or YAML). */
function typographyIssues(source: string, file: string): string[] {
  const issues: string[] = [];
  source.split('\n').forEach((line, i) => {
    const m = HALF_WIDTH_BETWEEN_HAN.exec(line);
    if (m) issues.push(`${file}:${i + 1}: half-width "${m[0]}" between Chinese characters`);
    if (startsWithMark(line)) issues.push(`${file}:${i + 1}: line starts with a mark: "${line}"`);
  });
  let yamlText = source;
  let body = '';
  if (file.endsWith('.md')) {
    const fm = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(source);
    yamlText = fm?.[1] ?? '';
    body = fm?.[2] ?? source;
  }
  for (const s of stringsOf(parseYaml(yamlText))) issues.push(...proseIssues(s, file));
  if (body) {
    body.split('\n').forEach((line, i) => {
      issues.push(...proseIssues(line, `${file} body line ${i + 1}`));
    });
  }
  return issues;
}

function chineseFiles(): { file: string; source: string }[] {
  const dirs = [
    { dir: join(defaultContentDir(), 'zh'), ext: '.md' },
    { dir: join(defaultBankDir(), 'zh'), ext: '.yaml' },
  ];
  return dirs.flatMap(({ dir, ext }) =>
    readdirSync(dir)
      .filter((name) => name.endsWith(ext))
      .sort()
      .map((name) => ({ file: join(dir, name), source: readFileSync(join(dir, name), 'utf8') })),
  );
}

describe('Chinese typography', () => {
  it('checks the ten Chinese topics and the ten Chinese quiz-bank files', () => {
    const files = chineseFiles();
    expect(files.filter((f) => f.file.endsWith('.md'))).toHaveLength(10);
    expect(files.filter((f) => f.file.endsWith('.yaml'))).toHaveLength(10);
  });

  it.each(chineseFiles().map((f) => [f.file.split(/[\\/]/).slice(-2).join('/'), f.source]))(
    '%s uses full-width punctuation in Chinese prose',
    (file, source) => {
      expect(typographyIssues(source, file)).toEqual([]);
    },
  );

  it('catches the mistakes it is meant to catch', () => {
    const bad = [
      ['a.md', '---\ntitle: 标题\n---\n训练数据,模型\n'],
      ['a.md', '---\ntitle: 为什么变傻了?原因\n---\n正文。\n'],
      ['a.md', '---\ntitle: 标题\n---\n结论: 见下文\n'],
      ['a.md', '---\ntitle: 标题\n---\n第一句话\n，第二句话\n'],
      ['b.yaml', 'questions:\n  - question: "先训练;再评测"\n'],
      ['b.yaml', 'questions:\n  - explanation: "。开头的句子"\n'],
      ['b.yaml', 'items: [数据, 模型]\ntext: "数据 , 模型"\n'],
    ] as const;
    for (const [file, source] of bad) {
      expect(typographyIssues(source, file), source).not.toEqual([]);
    }
  });

  it('leaves code, numbers and English terms alone', () => {
    const good = [
      '---\ntitle: 标题\nsection_keywords:\n  t1.x: [上下文窗口, 训练长度]\n---\n',
      'Llama 3.1 为 128k（131,072），见 Liu et al., 2023。\n',
      '用 `a,b` 和 `{"content":"中国的首都是哪里?"}` 都行：就这样。\n',
    ].map((body) => (body.startsWith('---') ? body : `---\ntitle: 标题\n---\n${body}`));
    for (const source of good) expect(typographyIssues(source, 'c.md'), source).toEqual([]);
  });
});
