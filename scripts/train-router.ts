/**
 * `npm run train`: train the router from training/routing/*.jsonl and the knowledge base,
 * and write src/knowledge/content/router-model.json (shipped with the build).
 *
 * Steps: cross-validation grouped by writer (out-of-fold logits, folds on every core) →
 * temperature and thresholds fitted on those held-out folds → the final topic model on all
 * lines → one section model per topic. Deterministic: the same inputs give the same file.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type MatchResult, routeResult } from '../src/knowledge/classifier.js';
import { conceptLexicon } from '../src/knowledge/concepts.js';
import { type EvalLine, evaluate, type Tally } from '../src/knowledge/eval.js';
import { vectorize } from '../src/knowledge/features.js';
import { defaultContentDir, loadKnowledge } from '../src/knowledge/load.js';
import {
  MODEL_FILE,
  MODEL_FORMAT,
  type ModelFile,
  type RoutingThresholds,
  softmax,
} from '../src/knowledge/model.js';
import { inputsHash, loadTrainingSet, sectionTextLines, type TrainLine } from './routing/data.js';
import type { LogRegModel } from './routing/logreg.js';
import { parallelCrossValidate } from './routing/parallel.js';
import {
  chooseThresholds,
  fitTemperature,
  foldsOf,
  rawsOf,
  type SectionModel,
  TRAIN_SETTINGS,
  trainSectionModel,
  trainTopics,
} from './routing/pipeline.js';

function quantize(values: Float64Array): { coef: string; scale: number } {
  let max = 0;
  for (const v of values) max = Math.max(max, Math.abs(v));
  const scale = max > 0 ? max / 32767 : 1;
  const q = Int16Array.from(values, (v) => Math.round(v / scale));
  return { coef: Buffer.from(q.buffer).toString('base64'), scale };
}

function linearFile(model: LogRegModel, classes: string[], features?: number[]) {
  const { coef, scale } = quantize(model.coef);
  return {
    classes,
    ...(features
      ? { features: Buffer.from(Int32Array.from(features).buffer).toString('base64') }
      : {}),
    coef,
    scale,
    bias: Array.from(model.bias, (b) => Math.round(b * 1e6) / 1e6),
  };
}

const rate = (t: Tally) => Math.round((10000 * t.correct) / Math.max(1, t.n)) / 10000;

/** The cross-validation figures, through the same evaluation as the dev sets. */
function crossValidationReport(
  lines: readonly TrainLine[],
  held: readonly number[],
  probs: readonly Float64Array[],
  thresholds: RoutingThresholds,
  sectionOf: (i: number) => string | null,
) {
  const results = new Map<string, MatchResult>();
  const evalLines: EvalLine[] = held.map((i, j) => {
    const l = lines[i]!;
    const id = `cv-${i}`;
    results.set(
      id,
      routeResult(probs[j]!, thresholds, {
        lang: l.lang === 'en' ? 'en' : 'zh',
        fragment: false,
        section: () => sectionOf(i),
      }),
    );
    return {
      id,
      q: id,
      topic: l.topic === 0 ? null : l.topic,
      lang: l.lang as EvalLine['lang'],
      kind: l.kind,
      ...(l.section ? { section: l.section } : {}),
    };
  });
  const report = evaluate(evalLines, (id) => results.get(id)!);
  const rates = (group: Record<string, Tally>) =>
    Object.fromEntries(Object.entries(group).map(([k, t]) => [k, { n: t.n, correct: rate(t) }]));
  return {
    folds: new Set(foldsOf(lines).values()).size,
    onTopic: rate(report.onTopic),
    offTopic: rate(report.offTopic),
    onN: report.onTopic.n,
    offN: report.offTopic.n,
    didYouMean: report.onTopic.clarifyRight + report.onTopic.clarifyWrong,
    wrong: report.onTopic.wrong + report.offTopic.wrong,
    declined: report.onTopic.falseReject,
    calibrationError: Math.round(report.calibrationError * 10000) / 10000,
    sections: report.sections,
    byLang: rates(report.byLang),
    byKind: rates(report.byKind),
    byTopic: rates(report.byTopic),
  };
}

async function main(): Promise<void> {
  const started = performance.now();
  const kb = loadKnowledge();
  const lexicon = conceptLexicon();
  const lines = loadTrainingSet(kb);
  const raws = rawsOf(lines, lexicon);
  const settings = TRAIN_SETTINGS;

  const textLines = sectionTextLines(kb);
  const textRaws = rawsOf(textLines, lexicon);

  // the folds run in child processes while this one trains the final models
  const heldPromise = parallelCrossValidate(settings);
  const final = trainTopics(lines, raws, lexicon, settings, textRaws);
  // section models learn from the labelled lines and the sections' own sentences
  const sectionLines = [...lines, ...textLines];
  const sectionVectors = [...raws, ...textRaws].map((r) =>
    vectorize(r, final.vocab.index, final.vocab.idf, settings.sectionWeights),
  );
  const sectionModels = new Map<number, SectionModel>();
  for (const topic of kb.topics) {
    sectionModels.set(
      topic.id,
      trainSectionModel(topic.id, sectionLines, sectionVectors, settings),
    );
  }
  const heldOut = await heldPromise;

  const held = [...heldOut.keys()].sort((a, b) => a - b);
  const ys = held.map((i) => lines[i]!.topic);
  const temperature = fitTemperature(
    held.map((i) => heldOut.get(i)!.logits),
    ys,
  );
  const probs = held.map((i) => softmax(Float64Array.from(heldOut.get(i)!.logits), temperature));
  const thresholds = chooseThresholds(probs, ys);
  const cv = crossValidationReport(
    lines,
    held,
    probs,
    thresholds,
    (i) => heldOut.get(i)?.section ?? null,
  );

  const file: ModelFile = {
    format: MODEL_FORMAT,
    inputsHash: inputsHash(),
    weights: { ...settings.weights },
    sectionWeights: { ...settings.sectionWeights },
    features: final.vocab.features,
    idf: Buffer.from(final.vocab.idf.buffer).toString('base64'),
    topics: linearFile(final.model, ['none', ...kb.topics.map((t) => String(t.id))]),
    temperature: Math.round(temperature * 1e6) / 1e6,
    thresholds,
    sections: Object.fromEntries(
      [...sectionModels].map(([topic, sm]) => [
        String(topic),
        linearFile(sm.model, sm.ids, sm.features),
      ]),
    ),
    report: {
      lines: lines.length,
      writers: [...new Set(lines.map((l) => l.group))].sort(),
      crossValidation: cv,
    },
  };
  const path = join(defaultContentDir(), MODEL_FILE);
  writeFileSync(path, `${JSON.stringify(file)}\n`);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(
    `trained on ${lines.length} lines (${file.features.length} features) in ${seconds} s → ${path}`,
  );
  console.log(
    `cross-validation, ${cv.folds} folds grouped by writer: on-topic ${percent(cv.onTopic)}, ` +
      `off-topic rejection ${percent(cv.offTopic)}, did-you-mean ${cv.didYouMean}, ` +
      `wrong ${cv.wrong}, calibration error ${cv.calibrationError}, ` +
      `sections ${cv.sections.correct}/${cv.sections.n}`,
  );
  console.log(`temperature ${file.temperature}, thresholds ${JSON.stringify(thresholds)}`);
}

const percent = (x: number) => `${(100 * x).toFixed(1)}%`;

await main();
