/**
 * scripts/build.mjs: the bin is executable after a build (npm ci links it before `prepare`
 * builds it, so npm never sets its mode), and `npm start` rebuilds only when a source changed.
 */
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { isStale, markExecutable, needsBuild, newestMtime, STAMP } from '../../scripts/build.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const cli = join(root, 'dist', 'cli.js');
const dir = mkdtempSync(join(tmpdir(), 'llm-tutor-build-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Set a file's modification time to `seconds` after the epoch. */
const age = (file: string, seconds: number) => utimesSync(file, seconds, seconds);

describe('the built bin', () => {
  it.runIf(existsSync(cli))('dist/cli.js is executable and runs by its own name', () => {
    expect(statSync(cli).mode & 0o111).toBe(0o111);
    const r = spawnSync(cli, ['help'], { encoding: 'utf8' });
    expect(r.error).toBeUndefined();
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('llm-tutor run');
  });

  it('the build and the install both go through the script that sets the mode', () => {
    const scripts = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts;
    expect(scripts.build).toBe('node scripts/build.mjs');
    expect(scripts.prepare).toBe('npm run build');
    expect(scripts.prestart).toBe('node scripts/build.mjs --if-stale');
  });

  it('markExecutable gives a freshly written file rwxr-xr-x', () => {
    const file = join(dir, 'bin.js');
    writeFileSync(file, '#!/usr/bin/env node\n');
    chmodSync(file, 0o644);
    markExecutable(file);
    expect(statSync(file).mode & 0o777).toBe(0o755);
    expect(() => markExecutable(join(dir, 'missing.js'))).toThrow(/ENOENT/);
  });
});

describe('npm start rebuilds only when something changed', () => {
  it('isStale: never built, an input newer than the build, or built after every input', () => {
    expect(isStale(undefined, 0)).toBe(true);
    expect(isStale(undefined, 1000)).toBe(true);
    expect(isStale(1000, 2000)).toBe(true);
    expect(isStale(2000, 2000)).toBe(true);
    expect(isStale(3000, 2000)).toBe(false);
  });

  it('needsBuild compares the stamp with the newest source, content files included', () => {
    const project = join(dir, 'project');
    const content = join(project, 'src', 'knowledge', 'content', 'zh');
    mkdirSync(content, { recursive: true });
    mkdirSync(join(project, 'dist'));
    const source = join(project, 'src', 'main.ts');
    const topic = join(content, '05.md');
    writeFileSync(source, 'export {};\n');
    writeFileSync(topic, '# 5\n');
    writeFileSync(join(project, 'package.json'), '{}\n');
    for (const f of [source, topic, join(project, 'package.json')]) age(f, 1_000);
    expect(needsBuild(project)).toBe(true); // never built

    const stamp = join(project, STAMP);
    writeFileSync(stamp, 'built\n');
    age(stamp, 2_000);
    expect(needsBuild(project)).toBe(false);

    age(topic, 3_000); // a content file edited after the build
    expect(newestMtime(join(project, 'src'))).toBe(3_000_000);
    expect(needsBuild(project)).toBe(true);
    age(topic, 1_000);
    age(join(project, 'package.json'), 3_000); // a changed compiler setting or dependency
    expect(needsBuild(project)).toBe(true);
  });

  it('a missing folder counts as no input', () => {
    expect(newestMtime(join(dir, 'nowhere'))).toBe(0);
  });
});
