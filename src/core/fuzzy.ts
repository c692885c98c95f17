/**
 * The one fuzzy matcher (fuse.js): which of a few known names a user most likely meant — a
 * mistyped command (`/vrma` → `/vram`), a section named in either language (`优化器`).
 */
import Fuse from 'fuse.js';

/**
 * How far the best match may be (fuse's score: 0 exact … 1 anything). 0.35 takes `vrma` → vram
 * (0.25), `optimiser`, `优化器`; it refuses `nosuch` (0.41 to checkpoints) and `memory`.
 */
const MAX_SCORE = 0.35;

/**
 * The item whose names come closest to `query`, or undefined when none is close. `names`
 * gives every name an item goes by (an id, a heading in each language, …).
 */
export function closest<T>(
  items: readonly T[],
  query: string,
  names: (item: T) => readonly string[],
): T | undefined {
  const wanted = query.trim();
  if (!wanted) return undefined;
  const fuse = new Fuse(
    items.map((item) => ({ item, names: names(item) })),
    { keys: ['names'], threshold: 0.5, ignoreLocation: true, includeScore: true },
  );
  const best = fuse.search(wanted)[0];
  return best && (best.score ?? 1) <= MAX_SCORE ? best.item.item : undefined;
}
