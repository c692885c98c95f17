/**
 * Splitting long text to a platform's limits. The loop and the search for a good break are
 * here; a platform supplies its own cut rule (what must not be cut: a Slack entity `&amp;`, a
 * Discord escape `\*`) and whether whitespace at the cuts is kept.
 */

/** A platform's way of cutting text. */
export interface SplitRule {
  /** Where to cut `s` (longer than `max`) so that the first piece has at most `max` units (≥ 1). */
  cut(s: string, max: number): number;
  /**
   * Drop whitespace at the cuts (the trailing whitespace of a piece, a blank line at the start
   * of the next; empty pieces vanish). Default false: the pieces joined give the input back.
   */
  trim?: boolean;
}

/**
 * The end of the last `separators` match (best first) that leaves the first piece at most
 * `max` long and at least `floor` long; -1 when none does.
 */
export function lastBreak(
  s: string,
  max: number,
  separators: readonly string[],
  floor = Math.floor(max / 2),
): number {
  for (const sep of separators) {
    const i = s.lastIndexOf(sep, max - sep.length);
    if (i >= floor) return i + sep.length;
  }
  return -1;
}

/** Split `text` into pieces of at most `max` UTF-16 units, cutting where `rule` says. */
export function splitWith(text: string, max: number, rule: SplitRule): string[] {
  const out: string[] = [];
  let rest = text;
  while (rest.length > max) {
    const cut = rule.cut(rest, max);
    const piece = rule.trim ? rest.slice(0, cut).trimEnd() : rest.slice(0, cut);
    if (piece) out.push(piece);
    rest = rule.trim ? rest.slice(cut).replace(/^\s*\n/, '') : rest.slice(cut);
  }
  if (rule.trim ? rest.trim() : rest) out.push(rest);
  return out;
}
