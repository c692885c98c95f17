/**
 * The topic router: a trained classifier (model.ts) over the features of features.ts, with
 * a calibrated confidence and three outcomes.
 *
 * 1. A fragment ("ok", "B", 👍, 收到) is never a question: "none".
 * 2. The eleven-class model gives calibrated probabilities: p(none) and p(topic 1–10).
 * 3. `decide` turns them into answer / did-you-mean / decline with the thresholds stored in
 *    the model (chosen on held-out folds of the training data by `npm run train`).
 * 4. For an answered topic, that topic's section model picks the section.
 */
import { type ConceptLexicon, conceptLexicon } from './concepts.js';
import { type RawFeatures, rawFeatures, vectorize } from './features.js';
import { isFragment } from './fragments.js';
import { logits, type RouterModel, type RoutingThresholds, routerModel, softmax } from './model.js';
import { detectLang, type Lang } from './text.js';

export type MatchOutcome = 'answer' | 'clarify' | 'none';

export interface TopicScore {
  topic: number;
  /** Calibrated probability of the topic. */
  score: number;
}

export interface MatchResult {
  outcome: MatchOutcome;
  /** Best candidate topic, or null when the outcome is "none". */
  topic: number | null;
  /** Best section id of that topic (e.g. "t5.optimizer"), or null. */
  section: string | null;
  /** Calibrated probability of the best of the ten topics, whatever the outcome. */
  score: number;
  /**
   * Calibrated probability that the outcome is right: that the chosen topic is the question's
   * topic (answer, did-you-mean), or that the question is off-topic (none).
   */
  confidence: number;
  lang: Lang;
  /** The other topic of a "did you mean" (empty when answering outright or declining). */
  alternatives: TopicScore[];
}

/** Whatever routes a chat question to a topic (the trained classifier; test doubles). */
export interface QuestionMatcher {
  match(text: string): MatchResult;
  /** Load what matching needs now, so that the first question does not wait for it. */
  warm?(): void;
}

/** Only the start of a very long message is classified. */
export const MAX_ROUTE_CHARS = 4000;

export interface Decision {
  outcome: MatchOutcome;
  /** The chosen topic (answer or did-you-mean), or null. */
  topic: number | null;
  /** The other topic offered by a did-you-mean. */
  second: number | null;
  /** Calibrated probability that the chosen topic is right ("none": that it is off-topic). */
  confidence: number;
}

/**
 * The routing rule on calibrated probabilities `p` (index 0 = none, 1–10 = topics):
 * decline when "not one of my topics" is likely; answer a topic that is likely enough; offer
 * the best two when the best is plausible and the pair together is likely; otherwise decline.
 */
export function decide(p: ArrayLike<number>, th: RoutingThresholds): Decision {
  const [top, second] = topTwo(p);
  const pNone = p[0]!;
  const p1 = p[top]!;
  const p2 = p[second]!;
  const none: Decision = { outcome: 'none', topic: null, second: null, confidence: pNone };
  if (pNone >= th.noneAt) return none;
  if (p1 >= th.answerAt) return { outcome: 'answer', topic: top, second: null, confidence: p1 };
  if (p1 >= th.clarifyAt && p1 + p2 >= th.pairAt) {
    return { outcome: 'clarify', topic: top, second, confidence: p1 };
  }
  return none;
}

/** The two most probable topics (indexes 1–10), best first; ties go to the lower number. */
export function topTwo(p: ArrayLike<number>): [number, number] {
  let a = 1;
  let b = 2;
  if (p[b]! > p[a]!) [a, b] = [b, a];
  for (let k = 3; k < p.length; k++) {
    if (p[k]! > p[a]!) {
      b = a;
      a = k;
    } else if (p[k]! > p[b]!) b = k;
  }
  return [a, b];
}

export interface Classified {
  /** Calibrated probabilities, index 0 = none, 1–10 = topics. */
  probabilities: Float64Array;
  features: RawFeatures;
  fragment: boolean;
  /** The language of the (cut) text. */
  lang: Lang;
}

export class TopicClassifier implements QuestionMatcher {
  private loaded: RouterModel | undefined;
  private concepts: ConceptLexicon | undefined;

  /** Without arguments, the shipped model and lexicon, loaded on the first question. */
  constructor(model?: RouterModel, lexicon?: ConceptLexicon) {
    this.loaded = model;
    this.concepts = lexicon;
  }

  get model(): RouterModel {
    this.loaded ??= routerModel();
    return this.loaded;
  }

  /** Load the model and the lexicon, and route one question (a chat platform calls this at start). */
  warm(): void {
    this.match('how much GPU memory does full fine-tuning need? 微调需要多少显存');
  }

  private get lexicon(): ConceptLexicon {
    this.concepts ??= conceptLexicon();
    return this.concepts;
  }

  classify(input: string): Classified {
    const text = input.length > MAX_ROUTE_CHARS ? input.slice(0, MAX_ROUTE_CHARS) : input;
    const m = this.model;
    const features = rawFeatures(text, this.lexicon);
    const vector = vectorize(features, m.vocab, m.idf, m.weights);
    const z = logits(m.topics, vector.idx, vector.val);
    return {
      probabilities: softmax(z, m.temperature),
      features,
      fragment: isFragment(text),
      lang: detectLang(text),
    };
  }

  /** The best section of `topic` for a question's features (null when it has no model). */
  section(topic: number, features: RawFeatures): string | null {
    const m = this.model;
    const model = m.sections.get(topic);
    if (!model) return null;
    const vector = vectorize(features, m.vocab, m.idf, m.sectionWeights);
    const z = logits(model, vector.idx, vector.val);
    let best = 0;
    for (let k = 1; k < z.length; k++) if (z[k]! > z[best]!) best = k;
    return model.classes[best] ?? null;
  }

  match(input: string): MatchResult {
    const { probabilities, features, fragment, lang } = this.classify(input);
    return routeResult(probabilities, this.model.thresholds, {
      lang,
      fragment,
      section: (topic) => this.section(topic, features),
    });
  }
}

/** A routing result from calibrated probabilities (shared by the router and the evaluation). */
export function routeResult(
  p: ArrayLike<number>,
  thresholds: RoutingThresholds,
  context: { lang: Lang; fragment: boolean; section: (topic: number) => string | null },
): MatchResult {
  const [best] = topTwo(p);
  const base = { score: round(p[best]!), lang: context.lang };
  const none = (confidence: number): MatchResult => ({
    outcome: 'none',
    topic: null,
    section: null,
    ...base,
    confidence: round(confidence),
    alternatives: [],
  });
  if (context.fragment) return none(1);
  const d = decide(p, thresholds);
  if (d.outcome === 'none' || d.topic === null) return none(d.confidence);
  const alternatives: TopicScore[] =
    d.outcome === 'clarify' && d.second !== null
      ? [{ topic: d.second, score: round(p[d.second]!) }]
      : [];
  return {
    outcome: d.outcome,
    topic: d.topic,
    section: context.section(d.topic),
    ...base,
    confidence: round(d.confidence),
    alternatives,
  };
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
