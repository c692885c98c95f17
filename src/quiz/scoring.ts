/**
 * Scoring, in hundredths of a point (stored as integers so sums are exact):
 * a correct answer scores 1 point plus a speed bonus of up to 0.5 point that shrinks
 * linearly from 0.5 (answered at once) to 0 (answered as time runs out); a wrong answer
 * scores 0. Only a person's first answer to a question counts.
 */

export const POINTS_CORRECT = 100;
export const POINTS_MAX_BONUS = 50;

/** Points (hundredths) for one answer given `elapsedMs` into a `windowMs` question. */
export function pointsFor(correct: boolean, elapsedMs: number, windowMs: number): number {
  if (!correct) return 0;
  const left = windowMs > 0 ? 1 - elapsedMs / windowMs : 0;
  const share = Math.min(1, Math.max(0, Number.isFinite(left) ? left : 0));
  return POINTS_CORRECT + Math.round(POINTS_MAX_BONUS * share);
}

/** `150` → `1.50`. */
export function formatPoints(hundredths: number): string {
  return (hundredths / 100).toFixed(2);
}

/** `2345` → `2.3 s`. */
export function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
