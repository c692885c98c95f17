/**
 * Training the router: vocabulary and IDF, the eleven-class topic model, cross-validation
 * grouped by writer, temperature calibration and thresholds on the held-out folds, and one
 * section model per topic. Everything here is deterministic: no random numbers, files and
 * lines in a fixed order.
 */
import { topTwo } from '../../src/knowledge/classifier.js';
import type { ConceptLexicon } from '../../src/knowledge/concepts.js';
import {
  type FeatureWeights,
  type RawFeatures,
  rawFeatures,
  type SparseVector,
  vectorize,
} from '../../src/knowledge/features.js';
import { knowledgeBase } from '../../src/knowledge/load.js';
import { type RoutingThresholds, softmax } from '../../src/knowledge/model.js';
import type { TrainLine } from './data.js';
import { type Example, type LogRegModel, predictLogits, trainLogReg } from './logreg.js';

export interface TrainSettings {
  minDf: number;
  weights: FeatureWeights;
  l2: number;
  maxIterations: number;
  kbWeight: number;
  /** Feature weights for the section models: words tell sections apart better than n-grams. */
  sectionWeights: FeatureWeights;
  /** Weight of a sentence of a section's own text in its section model. */
  sectionTextWeight: number;
  sectionL2: number;
  sectionMaxIterations: number;
}

export const TRAIN_SETTINGS: TrainSettings = {
  /** A feature must occur in this many training lines to enter the vocabulary. */
  minDf: 3,
  weights: { chars: 1, words: 2, concept: 0.6 },
  l2: 2e-5,
  maxIterations: 40,
  /** Weight of a knowledge-base line relative to a writer's line. */
  kbWeight: 0.5,
  sectionWeights: { chars: 1, words: 3, concept: 0.6 },
  sectionTextWeight: 0.3,
  sectionL2: 1e-5,
  sectionMaxIterations: 60,
};

export interface Vocabulary {
  features: string[];
  index: Map<string, number>;
  idf: Float32Array;
}

/** The vocabulary of a set of lines: features in at least `minDf` lines, plus every concept. */
export function buildVocabulary(
  raws: readonly RawFeatures[],
  lexicon: ConceptLexicon,
  minDf: number = TRAIN_SETTINGS.minDf,
): Vocabulary {
  const df = new Map<string, number>();
  for (const r of raws) {
    for (const name of r.chars.keys()) df.set(name, (df.get(name) ?? 0) + 1);
    for (const name of r.words.keys()) df.set(name, (df.get(name) ?? 0) + 1);
  }
  const features = [...df.entries()]
    .filter(([, d]) => d >= minDf)
    .map(([name]) => name)
    .sort();
  const n = raws.length;
  const idf = new Float32Array(features.length + lexicon.ids.length);
  features.forEach((name, i) => {
    idf[i] = Math.log((n + 1) / (df.get(name)! + 1)) + 1;
  });
  for (const id of lexicon.ids) {
    idf[features.length] = 1;
    features.push(`k:${id}`);
  }
  const index = new Map<string, number>();
  features.forEach((name, i) => {
    index.set(name, i);
  });
  return { features, index, idf };
}

export function rawsOf(lines: readonly TrainLine[], lexicon: ConceptLexicon): RawFeatures[] {
  return lines.map((l) => rawFeatures(l.q, lexicon));
}

function weightOf(line: TrainLine, settings: TrainSettings): number {
  return line.group === 'kb' ? settings.kbWeight : 1;
}

export interface TopicModel {
  vocab: Vocabulary;
  model: LogRegModel;
}

export function trainTopics(
  lines: readonly TrainLine[],
  raws: readonly RawFeatures[],
  lexicon: ConceptLexicon,
  settings: TrainSettings = TRAIN_SETTINGS,
  /** Extra texts whose features enter the vocabulary (the sections' sentences). */
  vocabularyOnly: readonly RawFeatures[] = [],
): TopicModel {
  const vocab = buildVocabulary([...raws, ...vocabularyOnly], lexicon, settings.minDf);
  const examples: Example[] = lines.map((line, i) => ({
    x: vectorize(raws[i]!, vocab.index, vocab.idf, settings.weights),
    y: line.topic,
    weight: weightOf(line, settings),
  }));
  const model = trainLogReg(examples, {
    classes: 11,
    features: vocab.features.length,
    l2: settings.l2,
    maxIterations: settings.maxIterations,
  });
  return { vocab, model };
}

export function topicLogits(
  tm: TopicModel,
  raw: RawFeatures,
  settings: TrainSettings = TRAIN_SETTINGS,
): Float64Array {
  return predictLogits(tm.model, vectorize(raw, tm.vocab.index, tm.vocab.idf, settings.weights));
}

/** At most this many cross-validation folds; writers are dealt to folds in name order. */
export const MAX_FOLDS = 4;

/** The fold of each writer: whole writers per fold, knowledge-base lines in no fold. */
export function foldsOf(lines: readonly TrainLine[], k = MAX_FOLDS): Map<string, number> {
  const groups = [...new Set(lines.map((l) => l.group))].filter((g) => g !== 'kb').sort();
  const folds = Math.min(k, groups.length);
  return new Map(groups.map((g, i) => [g, i % folds]));
}

/** What cross-validation gives for each held-out line. */
export interface HeldOut {
  logits: Float64Array;
  /** The section a held-out section model picks within the line's own topic (labelled lines). */
  section?: string;
}

/**
 * Out-of-fold predictions for the lines of the given folds: models trained on every other
 * fold (and the knowledge-base lines, always in training) score that fold's lines. `text` are
 * the sections' sentences: vocabulary for both models, training lines for the section models.
 */
export function crossValidate(
  lines: readonly TrainLine[],
  raws: readonly RawFeatures[],
  text: { lines: readonly TrainLine[]; raws: readonly RawFeatures[] },
  lexicon: ConceptLexicon,
  settings: TrainSettings = TRAIN_SETTINGS,
  only: (fold: number) => boolean = () => true,
): Map<number, HeldOut> {
  const foldOf = foldsOf(lines);
  const out = new Map<number, HeldOut>();
  for (const fold of [...new Set(foldOf.values())].sort((a, b) => a - b)) {
    if (!only(fold)) continue;
    const inFold = (l: TrainLine) => foldOf.get(l.group) === fold;
    const trainIdx = lines.flatMap((l, i) => (inFold(l) ? [] : [i]));
    const tm = trainTopics(
      trainIdx.map((i) => lines[i]!),
      trainIdx.map((i) => raws[i]!),
      lexicon,
      settings,
      text.raws,
    );
    const sectionLines = [...trainIdx.map((i) => lines[i]!), ...text.lines];
    const sectionVectors = [...trainIdx.map((i) => raws[i]!), ...text.raws].map((r) =>
      vectorize(r, tm.vocab.index, tm.vocab.idf, settings.sectionWeights),
    );
    const sectionModels = new Map<number, SectionModel>();
    lines.forEach((l, i) => {
      if (!inFold(l)) return;
      const held: HeldOut = { logits: topicLogits(tm, raws[i]!, settings) };
      if (l.section) {
        let sm = sectionModels.get(l.topic);
        if (!sm) {
          sm = trainSectionModel(l.topic, sectionLines, sectionVectors, settings);
          sectionModels.set(l.topic, sm);
        }
        held.section = predictSection(
          sm,
          vectorize(raws[i]!, tm.vocab.index, tm.vocab.idf, settings.sectionWeights),
        );
      }
      out.set(i, held);
    });
  }
  return out;
}

/** The temperature that minimizes the negative log-likelihood of held-out logits. */
export function fitTemperature(zs: readonly Float64Array[], ys: readonly number[]): number {
  const nll = (t: number) =>
    zs.reduce((s, z, i) => s - Math.log(softmax(Float64Array.from(z), t)[ys[i]!]! + 1e-12), 0);
  // golden-section search on log t in [ln 0.05, ln 20]
  let lo = Math.log(0.05);
  let hi = Math.log(20);
  const g = (Math.sqrt(5) - 1) / 2;
  let a = hi - g * (hi - lo);
  let b = lo + g * (hi - lo);
  let fa = nll(Math.exp(a));
  let fb = nll(Math.exp(b));
  for (let i = 0; i < 60; i++) {
    if (fa < fb) {
      hi = b;
      b = a;
      fb = fa;
      a = hi - g * (hi - lo);
      fa = nll(Math.exp(a));
    } else {
      lo = a;
      a = b;
      fa = fb;
      b = lo + g * (hi - lo);
      fb = nll(Math.exp(b));
    }
  }
  return Math.exp((lo + hi) / 2);
}

/** Credit for a did-you-mean that offers the right topic, relative to a right answer. */
export const CLARIFY_CREDIT = 0.5;

/**
 * The lowest answer threshold considered. Below it the best of eleven classes is not clearly
 * ahead, and a did-you-mean between the two best serves the user better than a coin flip,
 * even where an outright answer would score a little higher on accuracy alone.
 */
export const ANSWER_FLOOR = 0.4;

/**
 * Thresholds chosen on held-out probabilities: the most right answers on on-topic lines (a
 * did-you-mean offering the right topic earns CLARIFY_CREDIT), with off-topic rejection held at
 * `minOff` or above; ties go to fewer wrong answers. Off-topic rejection is held above the 90 %
 * goal because the near misses of chat are harder than the training lines' own.
 */
export function chooseThresholds(
  ps: readonly ArrayLike<number>[],
  ys: readonly number[],
  minOff = 0.95,
): RoutingThresholds {
  // each line reduced to what the rule looks at
  const lines = ps.map((p, i) => {
    const [top, second] = topTwo(p);
    return { none: p[0]!, p1: p[top]!, p2: p[second]!, top, second, y: ys[i]! };
  });
  const onN = lines.filter((l) => l.y > 0).length || 1;
  const offN = lines.filter((l) => l.y === 0).length || 1;
  const grid = (from: number, to: number) => {
    const out: number[] = [];
    for (let v = from; v <= to + 1e-9; v += 0.05) out.push(Math.round(v * 100) / 100);
    return out;
  };
  let best: { th: RoutingThresholds; value: number; wrong: number } | null = null;
  for (const noneAt of grid(0.3, 0.9)) {
    for (const answerAt of grid(ANSWER_FLOOR, 0.9)) {
      for (const clarifyAt of grid(0.1, answerAt)) {
        for (const pairAt of grid(0.5, 1)) {
          let right = 0;
          let clarifyRight = 0;
          let declinedOff = 0;
          let wrong = 0;
          for (const l of lines) {
            const none = l.none >= noneAt;
            const answer = !none && l.p1 >= answerAt;
            const clarify = !none && !answer && l.p1 >= clarifyAt && l.p1 + l.p2 >= pairAt;
            if (l.y === 0) {
              if (answer || clarify) wrong++;
              else declinedOff++;
            } else if (answer) {
              if (l.top === l.y) right++;
              else wrong++;
            } else if (clarify && (l.top === l.y || l.second === l.y)) clarifyRight++;
          }
          if (declinedOff / offN < minOff) continue;
          const value = (right + CLARIFY_CREDIT * clarifyRight) / onN;
          if (
            !best ||
            value > best.value + 1e-9 ||
            (Math.abs(value - best.value) <= 1e-9 && wrong < best.wrong)
          ) {
            best = { th: { answerAt, clarifyAt, pairAt, noneAt }, value, wrong };
          }
        }
      }
    }
  }
  return best?.th ?? { answerAt: 0.5, clarifyAt: 0.3, pairAt: 0.7, noneAt: 0.5 };
}

/** A section model for one topic: its section ids and a regression over global features. */
export interface SectionModel {
  ids: string[];
  /** Global feature indexes used, in row order. */
  features: number[];
  model: LogRegModel;
}

/** The section ids of topic `n`, in order (the same in both languages). */
export function sectionIds(n: number): string[] {
  return knowledgeBase().topics[n - 1]!.docs.en.sections.map((s) => s.id);
}

/** One topic's section model from the lines of `lines` labelled with one of its sections. */
export function trainSectionModel(
  topic: number,
  lines: readonly TrainLine[],
  vectors: readonly SparseVector[],
  settings: TrainSettings = TRAIN_SETTINGS,
): SectionModel {
  const labelled = lines.flatMap((l, i) => (l.topic === topic && l.section ? [i] : []));
  const weight = (l: TrainLine) =>
    l.group !== 'kb' ? 1 : l.kind === 'text' ? settings.sectionTextWeight : settings.kbWeight;
  return trainSections(
    sectionIds(topic),
    labelled.map((i) => vectors[i]!),
    labelled.map((i) => lines[i]!.section!),
    labelled.map((i) => weight(lines[i]!)),
    settings,
  );
}

/**
 * Train one topic's section model on the lines labelled with a section of that topic.
 * Vectors are in the topic model's global vocabulary; only features those lines use are kept.
 */
export function trainSections(
  ids: readonly string[],
  vectors: readonly SparseVector[],
  labels: readonly string[],
  weights: readonly number[],
  settings: TrainSettings = TRAIN_SETTINGS,
): SectionModel {
  const used = new Map<number, number>();
  for (const v of vectors) for (const f of v.idx) if (!used.has(f)) used.set(f, used.size);
  const features = [...used.keys()];
  const examples: Example[] = vectors.map((v, i) => ({
    x: { idx: Int32Array.from(v.idx, (f) => used.get(f)!), val: v.val },
    y: ids.indexOf(labels[i]!),
    weight: weights[i]!,
  }));
  const model = trainLogReg(examples, {
    classes: ids.length,
    features: features.length,
    l2: settings.sectionL2,
    maxIterations: settings.sectionMaxIterations,
  });
  return { ids: [...ids], features, model };
}

/** The best section for a global vector. */
export function predictSection(sm: SectionModel, v: SparseVector): string {
  const rows = new Map(sm.features.map((f, row) => [f, row]));
  const idx: number[] = [];
  const val: number[] = [];
  v.idx.forEach((f, j) => {
    const row = rows.get(f);
    if (row !== undefined) {
      idx.push(row);
      val.push(v.val[j]!);
    }
  });
  const z = predictLogits(sm.model, { idx: Int32Array.from(idx), val: Float32Array.from(val) });
  let best = 0;
  for (let k = 1; k < z.length; k++) if (z[k]! > z[best]!) best = k;
  return sm.ids[best]!;
}
