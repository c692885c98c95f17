/**
 * The router's trained model as shipped (content/router-model.json), written by
 * `npm run train` (scripts/train-router.ts) and read here.
 *
 * Weights are multinomial logistic regressions over the features of features.ts: one over
 * eleven classes (0 = not one of the topics, 1–10 the topics), and one per topic over its
 * sections. Large arrays are base64 little-endian typed arrays; coefficients are int16
 * scaled by `scale`, row-major by feature.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { FeatureWeights } from './features.js';
import { defaultContentDir, KnowledgeError } from './load.js';

export const MODEL_FILE = 'router-model.json';
export const MODEL_FORMAT = 1;

/** The answer / did-you-mean / decline thresholds, on calibrated probabilities. */
export interface RoutingThresholds {
  /** Answer outright when the best topic's probability is at least this. */
  answerAt: number;
  /** Below answerAt, offer the best two topics when the best has at least this… */
  clarifyAt: number;
  /** …and the two together at least this; otherwise decline. */
  pairAt: number;
  /** Decline when the probability of "not one of my topics" is at least this. */
  noneAt: number;
}

/** Why each threshold exists (shown by `npm run eval`; the values are chosen by training). */
export const THRESHOLD_REASONS: Readonly<Record<keyof RoutingThresholds, string>> = {
  answerAt:
    'answer outright at or above this probability of the best topic: below it, an answer is wrong too often',
  clarifyAt:
    'below answerAt, a best topic this likely is still worth offering as a did-you-mean choice',
  pairAt:
    'offer the best two only when together they are this likely to hold the right topic; otherwise decline',
  noneAt: 'decline when "not one of my topics" is this likely, however the topics score',
};

const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64');

const linearSchema = z.strictObject({
  classes: z.array(z.string()).min(1),
  /** Global feature indexes this model uses (base64 Int32), or absent for all of them. */
  features: base64.optional(),
  coef: base64,
  scale: z.number().positive(),
  bias: z.array(z.number()),
});

const weightsSchema = z.strictObject({
  chars: z.number(),
  words: z.number(),
  concept: z.number(),
});

export const modelFileSchema = z.strictObject({
  format: z.literal(MODEL_FORMAT),
  /** SHA-256 of everything the model was trained from (see scripts/routing/data.ts). */
  inputsHash: z.string().regex(/^[0-9a-f]{64}$/),
  weights: weightsSchema,
  sectionWeights: weightsSchema,
  features: z.array(z.string()).min(1),
  idf: base64,
  topics: linearSchema,
  temperature: z.number().positive(),
  thresholds: z.strictObject({
    answerAt: z.number().min(0).max(1),
    clarifyAt: z.number().min(0).max(1),
    pairAt: z.number().min(0).max(1),
    noneAt: z.number().min(0).max(1),
  }),
  sections: z.record(z.string(), linearSchema),
  /** Figures measured when the model was trained (reported by `npm run eval`). */
  report: z.record(z.string(), z.unknown()),
});
export type ModelFile = z.infer<typeof modelFileSchema>;

/** A linear model ready to score: coefficients row-major [feature][class]. */
export interface LinearModel {
  classes: string[];
  /** Global feature index → row in `coef`, or -1; absent when rows are global indexes. */
  rows?: Int32Array;
  coef: Float32Array;
  bias: Float32Array;
}

export interface RouterModel {
  inputsHash: string;
  weights: FeatureWeights;
  sectionWeights: FeatureWeights;
  vocab: Map<string, number>;
  idf: Float32Array;
  topics: LinearModel;
  temperature: number;
  thresholds: RoutingThresholds;
  sections: Map<number, LinearModel>;
  report: Record<string, unknown>;
}

function bytes(b64: string): ArrayBuffer {
  const buf = Buffer.from(b64, 'base64');
  return buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
}

function linear(raw: z.infer<typeof linearSchema>, nFeatures: number): LinearModel {
  const q = new Int16Array(bytes(raw.coef));
  const coef = new Float32Array(q.length);
  for (let i = 0; i < q.length; i++) coef[i] = q[i]! * raw.scale;
  const model: LinearModel = {
    classes: raw.classes,
    coef,
    bias: Float32Array.from(raw.bias),
  };
  if (raw.features !== undefined) {
    const used = new Int32Array(bytes(raw.features));
    const rows = new Int32Array(nFeatures).fill(-1);
    used.forEach((f, row) => {
      rows[f] = row;
    });
    model.rows = rows;
  }
  return model;
}

/** Turn a parsed model file into scoring structures. */
export function compileModel(file: ModelFile): RouterModel {
  const vocab = new Map<string, number>();
  file.features.forEach((f, i) => {
    vocab.set(f, i);
  });
  const n = file.features.length;
  const sections = new Map<number, LinearModel>();
  for (const [topic, raw] of Object.entries(file.sections)) {
    sections.set(Number(topic), linear(raw, n));
  }
  return {
    inputsHash: file.inputsHash,
    weights: file.weights,
    sectionWeights: file.sectionWeights,
    vocab,
    idf: new Float32Array(bytes(file.idf)),
    topics: linear(file.topics, n),
    temperature: file.temperature,
    thresholds: file.thresholds,
    sections,
    report: file.report,
  };
}

export function parseModel(source: string, file: string): RouterModel {
  let raw: unknown;
  try {
    raw = JSON.parse(source);
  } catch (err) {
    throw new KnowledgeError(file, 'model', `invalid JSON: ${(err as Error).message}`);
  }
  const parsed = modelFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new KnowledgeError(
      file,
      issue.path.map(String).join('.') || 'model',
      `${issue.message} (retrain with npm run train)`,
    );
  }
  return compileModel(parsed.data);
}

let cached: RouterModel | undefined;

/** The shipped model, loaded once. */
export function routerModel(): RouterModel {
  cached ??= parseModel(
    readFileSync(join(defaultContentDir(), MODEL_FILE), 'utf8'),
    `content/${MODEL_FILE}`,
  );
  return cached;
}

/** Scores of every class of a linear model for one vector (logits, not probabilities). */
export function logits(
  model: LinearModel,
  idx: Int32Array,
  val: Float32Array,
  out = new Float64Array(model.classes.length),
): Float64Array {
  const c = model.classes.length;
  for (let k = 0; k < c; k++) out[k] = model.bias[k]!;
  for (let j = 0; j < idx.length; j++) {
    const row = model.rows ? model.rows[idx[j]!]! : idx[j]!;
    if (row < 0) continue;
    const v = val[j]!;
    const base = row * c;
    for (let k = 0; k < c; k++) out[k]! += v * model.coef[base + k]!;
  }
  return out;
}

/** Softmax of logits divided by a temperature, in place. */
export function softmax(z: Float64Array, temperature = 1): Float64Array {
  let max = -Infinity;
  for (const v of z) max = Math.max(max, v / temperature);
  let sum = 0;
  for (let k = 0; k < z.length; k++) {
    z[k] = Math.exp(z[k]! / temperature - max);
    sum += z[k]!;
  }
  for (let k = 0; k < z.length; k++) z[k]! /= sum;
  return z;
}
