/**
 * Declined questions grouped by similarity, with the router's own features: the character
 * n-grams of `src/knowledge/features.ts` (the same folding of case, width and punctuation),
 * weighted by count, compared by cosine similarity.
 *
 * Leader clustering with centroids, deterministic: the questions are taken in the order given
 * (oldest first); each joins the cluster whose centroid it is most similar to when that
 * similarity is at least `threshold`, otherwise it leads a new cluster. Clusters are listed by
 * size, ties by their first question.
 */
import { charNgrams } from '../knowledge/features.js';

/**
 * Cosine similarity at which a question joins a cluster. Paraphrases of one question share
 * many n-grams (0.43–0.87 in test/report/cluster.test.ts); unrelated questions share function
 * words and a few letter pairs (below 0.3). Chinese paraphrases that reorder their words can
 * fall below it (今天北京天气怎么样 / 北京今天的天气如何: 0.29): two small clusters rather than
 * unrelated questions merged.
 */
export const CLUSTER_THRESHOLD = 0.4;

export interface Cluster<T> {
  /** The members, in the order they were given (the first led the cluster). */
  items: T[];
}

type Vector = Map<string, number>;

/** The L2-normalized character n-gram counts of a text (empty for a text without letters). */
export function ngramVector(text: string): Vector {
  const counts = charNgrams(text);
  let norm = 0;
  for (const v of counts.values()) norm += v * v;
  const out: Vector = new Map();
  if (norm === 0) return out;
  const scale = 1 / Math.sqrt(norm);
  for (const [k, v] of counts) out.set(k, v * scale);
  return out;
}

function dot(a: Vector, b: Vector): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let sum = 0;
  for (const [k, v] of small) sum += v * (large.get(k) ?? 0);
  return sum;
}

function norm(a: Vector): number {
  return Math.sqrt(dot(a, a));
}

/** Cosine similarity of two texts' n-gram vectors (0 when either has none). */
export function similarity(a: string, b: string): number {
  return dot(ngramVector(a), ngramVector(b));
}

interface Building<T> {
  items: T[];
  /** The sum of the members' unit vectors (its direction is the centroid's). */
  sum: Vector;
}

function cosineToCentroid(v: Vector, c: Building<unknown>): number {
  const n = norm(c.sum);
  return n === 0 ? 0 : dot(v, c.sum) / n;
}

/** Group `items` by the similarity of `textOf(item)`; biggest clusters first. */
export function clusterBy<T>(
  items: readonly T[],
  textOf: (item: T) => string,
  threshold = CLUSTER_THRESHOLD,
): Cluster<T>[] {
  const clusters: Building<T>[] = [];
  for (const item of items) {
    const v = ngramVector(textOf(item));
    let best: Building<T> | undefined;
    let bestSim = threshold;
    for (const c of clusters) {
      const sim = cosineToCentroid(v, c);
      if (sim >= bestSim && (best === undefined || sim > bestSim)) {
        best = c;
        bestSim = sim;
      }
    }
    if (!best || v.size === 0) {
      clusters.push({ items: [item], sum: new Map(v) });
      continue;
    }
    best.items.push(item);
    for (const [k, x] of v) best.sum.set(k, (best.sum.get(k) ?? 0) + x);
  }
  return clusters
    .map((c, i) => ({ items: c.items, i }))
    .sort((a, b) => b.items.length - a.items.length || a.i - b.i)
    .map(({ items: members }) => ({ items: members }));
}
