/**
 * Maps a chat question to a topic and section of the knowledge base, with a confidence.
 *
 * Every topic (both languages merged, so mixed messages work) becomes a bag of weighted
 * terms built from its keywords, title, example questions, short answer and sections.
 * A question's score for a topic is the share of its information (IDF-weighted terms)
 * that the topic explains: 0 = nothing in common, 1 = every term is the topic's own.
 * Concepts the tutor does not teach form an extra "off-topic" bag, so that near-miss
 * questions (RLHF, beam search, …) are declined instead of answered wrongly.
 * fuse.js corrects misspelt English words against the knowledge base's vocabulary;
 * pinyin bigrams (see text.ts) absorb Chinese homophone typos.
 */
import Fuse from 'fuse.js';
import type { KnowledgeBase, Topic } from './load.js';
import { analyze, detectLang, type Lang, QUERY_WEIGHTS, stem, type Term } from './text.js';

export type MatchOutcome = 'answer' | 'clarify' | 'none';

export interface TopicScore {
  topic: number;
  score: number;
}

export interface MatchResult {
  outcome: MatchOutcome;
  /** Best candidate topic, or null when the outcome is "none". */
  topic: number | null;
  /** Best section id of that topic (e.g. "t5.optimizer"), or null. */
  section: string | null;
  /** Confidence in 0..1: the share of the question that the topic explains. */
  score: number;
  lang: Lang;
  /** Other close topics: the choices of a "did you mean" (empty when answering outright). */
  alternatives: TopicScore[];
}

/** Tunable weights and thresholds (calibrated on the dev set by `npm run eval`). */
export const MATCH_SETTINGS = {
  field: {
    keyword: 3,
    title: 2,
    example: 1.2,
    sectionKeyword: 2,
    heading: 1.2,
    short: 1,
    sectionText: 0.4,
  },
  /** Saturation of accumulated term weight: w / (w + k). */
  saturation: 2,
  /** Weight of a query term that no topic knows, relative to the rarest known term. */
  unknownPenalty: 0.2,
  /** Below this score: "not one of my topics". */
  noneBelow: 0.15,
  /** At or above this score the best topic is answered even if another is close. */
  confidentAbove: 0.5,
  /** Another topic within this ratio of the best is "close". */
  closeRatio: 0.95,
  /** A section must explain this share of the question to be chosen over the first. */
  sectionAbove: 0.2,
  /** A question that matches the topic's own question this well asks about the whole topic. */
  overviewAbove: 0.6,
  /** Weight kept by a topic for a one-word off-topic concept it mentions. */
  offTopicDiscount: 0.3,
  /** Off-topic wins when its score exceeds the best topic's times this. */
  offTopicRatio: 0.5,
} as const;

type Bag = Map<string, number>;

const OFF_TOPIC = 0;

/** Only the start of a very long message is matched. */
export const MAX_MATCH_CHARS = 4000;

/**
 * Index building analyzes the same strings several times (topic bags, section bags,
 * vocabulary); each is analyzed once. Cleared when an index is built.
 */
const analyzed = new Map<string, Term[]>();

function termsOf(text: string): Term[] {
  let terms = analyzed.get(text);
  if (!terms) {
    terms = analyze(text);
    analyzed.set(text, terms);
  }
  return terms;
}

function accumulate(acc: Map<string, number>, text: string, weight: number): void {
  const seen = new Set<string>();
  for (const t of termsOf(text)) {
    if (seen.has(t.term)) continue;
    seen.add(t.term);
    acc.set(t.term, (acc.get(t.term) ?? 0) + weight);
  }
}

function saturate(acc: Map<string, number>): Bag {
  const k = MATCH_SETTINGS.saturation;
  const bag: Bag = new Map();
  for (const [term, w] of acc) bag.set(term, w / (w + k));
  return bag;
}

function idfOf(bags: Iterable<Bag>): { idf: Map<string, number>; max: number } {
  const df = new Map<string, number>();
  let n = 0;
  for (const bag of bags) {
    n++;
    for (const term of bag.keys()) df.set(term, (df.get(term) ?? 0) + 1);
  }
  const idf = new Map<string, number>();
  for (const [term, d] of df) idf.set(term, Math.log((n + 1) / (d + 0.5)));
  return { idf, max: Math.log((n + 1) / 0.5) };
}

interface QueryTerm {
  term: string;
  weight: number;
}

interface SectionIndex {
  ids: string[];
  bags: Bag[];
  /** The topic's own question and short answer: a question this close asks about the whole. */
  overview: Bag;
  /** IDF over the sections and the overview, to score the overview. */
  overviewIdf: Map<string, number>;
  overviewMaxIdf: number;
  idf: Map<string, number>;
  maxIdf: number;
}

export class TopicMatcher {
  private readonly topicBags = new Map<number, Bag>();
  private readonly sections = new Map<number, SectionIndex>();
  private readonly idf: Map<string, number>;
  private readonly maxIdf: number;
  private readonly fuse: Fuse<string>;
  private readonly topicIds: number[];
  private readonly corrections = new Map<string, string | null>();

  constructor(kb: KnowledgeBase) {
    const f = MATCH_SETTINGS.field;
    const surfaces = new Set<string>();
    const collect = (text: string) => {
      for (const t of termsOf(text))
        if (t.surface && t.surface.length >= 4) surfaces.add(t.surface);
    };
    this.topicIds = kb.topics.map((t) => t.id);
    for (const topic of kb.topics) {
      const acc = new Map<string, number>();
      for (const doc of Object.values(topic.docs)) {
        for (const k of doc.keywords) accumulate(acc, k, f.keyword);
        accumulate(acc, doc.title, f.title);
        for (const e of doc.examples) accumulate(acc, e, f.example);
        accumulate(acc, doc.short, f.short);
        for (const s of doc.sections) {
          for (const k of s.keywords) accumulate(acc, k, f.sectionKeyword);
          accumulate(acc, s.heading, f.heading);
          accumulate(acc, s.text, f.sectionText);
        }
        for (const text of [doc.title, doc.short, ...doc.keywords, ...doc.examples]) collect(text);
        for (const s of doc.sections) for (const text of [s.heading, ...s.keywords]) collect(text);
      }
      this.topicBags.set(topic.id, saturate(acc));
      this.sections.set(topic.id, buildSections(topic));
    }
    const off = new Map<string, number>();
    for (const c of kb.offTopic) {
      accumulate(off, c, f.keyword);
      collect(c);
      // a one-word concept declared off-topic (RLHF, DPO…) is only mentioned in passing by a
      // topic's text: it must not pull a question towards that topic
      const words = termsOf(c).filter((t) => !t.term.startsWith('b:') && !t.term.startsWith('p:'));
      if (words.length === 1) {
        for (const bag of this.topicBags.values()) {
          const w = bag.get(words[0]!.term);
          if (w !== undefined) bag.set(words[0]!.term, w * MATCH_SETTINGS.offTopicDiscount);
        }
      }
    }
    this.topicBags.set(OFF_TOPIC, saturate(off));
    const { idf, max } = idfOf(this.topicBags.values());
    this.idf = idf;
    this.maxIdf = max;
    this.fuse = new Fuse([...surfaces], { includeScore: true, threshold: 0.3 });
    analyzed.clear();
  }

  /** Analyze a question into weighted, de-duplicated terms, correcting English typos. */
  private queryTerms(text: string): QueryTerm[] {
    const terms = new Map<string, number>();
    const add = (term: string, weight: number) => {
      terms.set(term, Math.max(terms.get(term) ?? 0, weight));
    };
    const analysis = analyze(text);
    // A bigram nobody wrote whose pinyin is a known word is a homophone typo (训连 for 训练):
    // count the word's pinyin as fully as a word, and not its stray characters (连) alone.
    const repaired = new Set<string>();
    for (const t of analysis) {
      if (t.term.startsWith('p:') && t.chars && this.idf.has(t.term)) {
        if (!this.idf.has(`b:${t.chars}`)) {
          add(t.term, QUERY_WEIGHTS.zhWord);
          for (const ch of t.chars) repaired.add(ch);
        }
      }
    }
    for (const t of analysis) {
      if (t.term.startsWith('c:') && repaired.has(t.term.slice(2))) continue;
      if (
        this.idf.has(t.term) ||
        !t.surface ||
        t.surface.length < 5 ||
        t.surface.length > 24 ||
        /\d/.test(t.surface)
      ) {
        add(t.term, t.weight);
        continue;
      }
      const corrected = this.correct(t.surface);
      if (corrected) add(`w:${stem(corrected)}`, t.weight * 0.8);
      else add(t.term, t.weight);
    }
    return [...terms].map(([term, weight]) => ({ term, weight }));
  }

  /**
   * The knowledge-base word a misspelt English word most likely means, if any (memoized).
   * A typo keeps the first letter and is one edit away (two for words of 7+ letters), so an
   * ordinary word (game, night) is never "corrected" into a topic word (name, weight).
   */
  private correct(surface: string): string | null {
    const cached = this.corrections.get(surface);
    if (cached !== undefined) return cached;
    const limit = surface.length >= 7 ? 2 : 1;
    const result =
      this.fuse
        .search(surface, { limit: 5 })
        .map((r) => r.item)
        .find((w) => w[0] === surface[0] && editDistance(w, surface) <= limit) ?? null;
    if (this.corrections.size >= 10_000) this.corrections.clear();
    this.corrections.set(surface, result);
    return result;
  }

  private scoreBag(terms: QueryTerm[], bag: Bag, idf: Map<string, number>, maxIdf: number): number {
    let num = 0;
    let den = 0;
    for (const { term, weight } of terms) {
      const i = idf.get(term);
      if (i === undefined) {
        // an unknown word dilutes the score; an unknown bigram is mostly a cut across words
        if (term.startsWith('w:') || term.startsWith('z:')) {
          den += weight * maxIdf * MATCH_SETTINGS.unknownPenalty;
        }
        continue;
      }
      den += weight * i;
      num += weight * i * (bag.get(term) ?? 0);
    }
    return den > 0 ? num / den : 0;
  }

  /** Scores of every topic, best first (the off-topic bag excluded). */
  scoreTopics(text: string): { topics: TopicScore[]; offTopic: number } {
    const terms = this.queryTerms(text);
    const topics = this.topicIds
      .map((topic) => ({
        topic,
        score: this.scoreBag(terms, this.topicBags.get(topic)!, this.idf, this.maxIdf),
      }))
      .sort((a, b) => b.score - a.score || a.topic - b.topic);
    const offTopic = this.scoreBag(terms, this.topicBags.get(OFF_TOPIC)!, this.idf, this.maxIdf);
    return { topics, offTopic };
  }

  /** The section of `topic` that best matches the question (the first if none stands out). */
  bestSection(text: string, topic: number): string | null {
    const index = this.sections.get(topic);
    if (!index) return null;
    const terms = this.queryTerms(text);
    let best = 0;
    let bestScore = -1;
    index.bags.forEach((bag, i) => {
      const s = this.scoreBag(terms, bag, index.idf, index.maxIdf);
      if (s > bestScore) {
        bestScore = s;
        best = i;
      }
    });
    // a general question (close to the topic's own question, or to no section in particular)
    // is answered from the first section
    const overview = this.scoreBag(terms, index.overview, index.overviewIdf, index.overviewMaxIdf);
    const general = overview >= MATCH_SETTINGS.overviewAbove && overview > bestScore;
    return bestScore >= MATCH_SETTINGS.sectionAbove && !general ? index.ids[best]! : index.ids[0]!;
  }

  match(input: string): MatchResult {
    // chat questions are short; a pasted document is cut rather than scanned whole
    const text = input.length > MAX_MATCH_CHARS ? input.slice(0, MAX_MATCH_CHARS) : input;
    const lang = detectLang(text);
    const { topics, offTopic } = this.scoreTopics(text);
    const top = topics[0];
    const s = MATCH_SETTINGS;
    const none: MatchResult = {
      outcome: 'none',
      topic: null,
      section: null,
      score: top ? round(top.score) : 0,
      lang,
      alternatives: [],
    };
    if (!top || top.score < s.noneBelow || offTopic > top.score * s.offTopicRatio) return none;
    const close = topics
      .slice(1, 3)
      .filter((t) => t.score >= top.score * s.closeRatio)
      .map((t) => ({ topic: t.topic, score: round(t.score) }));
    const outcome: MatchOutcome =
      close.length > 0 && top.score < s.confidentAbove ? 'clarify' : 'answer';
    return {
      outcome,
      topic: top.topic,
      section: this.bestSection(text, top.topic),
      score: round(top.score),
      lang,
      alternatives: outcome === 'clarify' ? close : [],
    };
  }
}

function buildSections(topic: Topic): SectionIndex {
  const ids = topic.docs.zh.sections.map((s) => s.id);
  const accs = ids.map(() => new Map<string, number>());
  for (const doc of Object.values(topic.docs)) {
    doc.sections.forEach((s, i) => {
      const acc = accs[i]!;
      accumulate(acc, s.heading, 2);
      for (const k of s.keywords) accumulate(acc, k, 3);
      accumulate(acc, s.text, 1);
    });
  }
  const overviewAcc = new Map<string, number>();
  for (const doc of Object.values(topic.docs)) {
    accumulate(overviewAcc, doc.title, 3);
    accumulate(overviewAcc, doc.short, 1);
  }
  const bags = accs.map(saturate);
  const overview = saturate(overviewAcc);
  const { idf, max } = idfOf(bags);
  const withOverview = idfOf([...bags, overview]);
  return {
    ids,
    bags,
    overview,
    overviewIdf: withOverview.idf,
    overviewMaxIdf: withOverview.max,
    idf,
    maxIdf: max,
  };
}

/** Optimal string alignment distance: insertions, deletions, substitutions, transpositions. */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        v = Math.min(v, d[i - 2]![j - 2]! + 1);
      }
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
