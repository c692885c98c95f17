/**
 * The build (`npm run build`, also run by `prepare` on install) and `npm start`'s pre-step.
 *   node scripts/build.mjs             compile src/ to dist/, write dist/yaml-cache.json (the
 *                                      bundled YAML, parsed once: src/knowledge/yaml.ts), make
 *                                      dist/cli.js executable, stamp
 *   node scripts/build.mjs --if-stale  the same, but only when a source is newer than the stamp
 *
 * The bin gets its execute bit here because `npm ci` links it before `prepare` has built it, so
 * npm never sets the mode. The stamp (dist/.build-stamp) is written after a good build; tsc's
 * incremental build leaves unchanged outputs untouched, so their times say nothing.
 * Plain JavaScript: it runs before anything is compiled.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const STAMP = join('dist', '.build-stamp');
export const BIN = join('dist', 'cli.js');
/** What the build reads: the sources (content files included) and the compiler settings. */
export const INPUTS = ['src', 'tsconfig.json', 'tsconfig.build.json', 'package.json'];

/** The newest modification time (ms) of a file or of any file under a folder; 0 if absent. */
export function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path, { withFileTypes: true, recursive: true })) {
    if (entry.isFile())
      newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

/**
 * Whether dist must be rebuilt: no stamp (never built, or the last build failed) or an input
 * changed after it. `builtAt` is the stamp's time (undefined when absent), `newestInput` the
 * newest input's.
 */
export function isStale(builtAt, newestInput) {
  return builtAt === undefined || newestInput >= builtAt;
}

/** `isStale` for the project at `root`. */
export function needsBuild(root) {
  const stamp = join(root, STAMP);
  const builtAt = existsSync(stamp) ? statSync(stamp).mtimeMs : undefined;
  return isStale(builtAt, Math.max(...INPUTS.map((p) => newestMtime(join(root, p)))));
}

/** Give the bin its execute bit (rwxr-xr-x). */
export function markExecutable(file) {
  chmodSync(file, 0o755);
}

/**
 * Parse the bundled YAML (topic front matter, quiz bank) with the built loaders and write the
 * parse cache start-up reads. Broken content is not the build's business: the bot reports it
 * at start, so a loader's error only leaves those texts out of the cache (with a notice).
 */
export async function writeYamlCache(root) {
  const dist = (p) => pathToFileURL(join(root, 'dist', p)).href;
  const yaml = await import(dist('knowledge/yaml.js'));
  const { loadKnowledge } = await import(dist('knowledge/load.js'));
  const { loadBank } = await import(dist('quiz/bank.js'));
  const out = join(root, 'dist', 'yaml-cache.json');
  rmSync(out, { force: true });
  const cache = yaml.recordYaml(() => {
    for (const load of [loadKnowledge, loadBank]) {
      try {
        load();
      } catch (err) {
        process.stderr.write(`build: YAML cache incomplete: ${err.message.split('\n')[0]}\n`);
      }
    }
  });
  writeFileSync(out, yaml.serializeYamlCache(cache));
}

/** Compile, write the YAML cache, make the bin executable and stamp; returns tsc's status. */
export async function build(root) {
  const tsc = createRequire(join(root, 'package.json')).resolve('typescript/bin/tsc');
  const r = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], {
    stdio: 'inherit',
  });
  if (r.status !== 0) return r.status ?? 1;
  await writeYamlCache(root);
  markExecutable(join(root, BIN));
  writeFileSync(join(root, STAMP), `${new Date().toISOString()}\n`);
  return 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const root = dirname(dirname(fileURLToPath(import.meta.url)));
  const ifStale = process.argv.includes('--if-stale');
  process.exitCode = ifStale && !needsBuild(root) ? 0 : await build(root);
}
