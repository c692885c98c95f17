/** Declined questions grouped by the router's character n-grams (src/report/cluster.ts). */
import { describe, expect, it } from 'vitest';
import { CLUSTER_THRESHOLD, clusterBy, similarity } from '../../src/report/cluster.js';

const WEATHER = [
  "what's the weather in Paris today",
  'what is the weather like in paris today?',
  'weather in Paris today please',
];
const RICE = ['how do I cook rice', 'how to cook rice in a pot', 'best way to cook rice?'];
const CUP = ['who won the world cup in 2018', 'which team won the 2018 world cup'];
const FILM = ['推荐一部好看的电影', '有什么好看的电影推荐吗'];
const LONERS = ['can you book me a flight to tokyo', '今天北京天气怎么样'];

describe('clustering declined questions', () => {
  it('puts paraphrases together and unrelated questions apart, biggest first', () => {
    // interleaved, as they arrive in a channel
    const asked = [
      WEATHER[0]!,
      RICE[0]!,
      CUP[0]!,
      FILM[0]!,
      WEATHER[1]!,
      LONERS[0]!,
      RICE[1]!,
      FILM[1]!,
      CUP[1]!,
      WEATHER[2]!,
      RICE[2]!,
      LONERS[1]!,
    ];
    const clusters = clusterBy(asked, (q) => q).map((c) => c.items);
    expect(clusters).toEqual([WEATHER, RICE, CUP, FILM, [LONERS[0]], [LONERS[1]]]);
  });

  it('scores paraphrases above the threshold and unrelated pairs well below it', () => {
    for (const group of [WEATHER, RICE, CUP, FILM]) {
      expect(similarity(group[0]!, group[1]!)).toBeGreaterThanOrEqual(CLUSTER_THRESHOLD);
    }
    const unrelated = [WEATHER[0]!, RICE[0]!, CUP[0]!, FILM[0]!, LONERS[0]!];
    for (const a of unrelated) {
      for (const b of unrelated) if (a !== b) expect(similarity(a, b)).toBeLessThan(0.3);
    }
  });

  it('is deterministic and folds case, width and punctuation like the router', () => {
    expect(similarity('WEATHER in PARIS!!', 'weather in paris')).toBeCloseTo(1, 5);
    expect(similarity('ｗｅａｔｈｅｒ', 'weather')).toBeCloseTo(1, 5);
    const once = clusterBy([...WEATHER, ...RICE], (q) => q);
    expect(clusterBy([...WEATHER, ...RICE], (q) => q)).toEqual(once);
  });

  it('keeps texts without letters or digits apart instead of merging them', () => {
    expect(similarity('???', '!!!')).toBe(0);
    expect(clusterBy(['???', '!!!', ''], (q) => q).map((c) => c.items)).toEqual([
      ['???'],
      ['!!!'],
      [''],
    ]);
    expect(clusterBy([], (q: string) => q)).toEqual([]);
  });
});
