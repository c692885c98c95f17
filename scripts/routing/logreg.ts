/**
 * Multinomial logistic regression over sparse vectors, trained with L-BFGS on the full batch.
 *
 * Why hand-written: the npm registry's logistic regressions (ml-logistic-regression and
 * kin) take dense matrices and train one-vs-rest by plain gradient descent. Dense is 5,000
 * rows × 100,000+ features here, and one-vs-rest gives no joint probabilities for an
 * explicit "none" class. The full-batch objective with a fixed iteration cap needs no
 * random numbers, so the result is the same on every run.
 */
import type { SparseVector } from '../../src/knowledge/features.js';

export interface Example {
  x: SparseVector;
  y: number;
  weight: number;
}

export interface LogRegOptions {
  classes: number;
  features: number;
  /** L2 penalty on the coefficients (not the biases). */
  l2: number;
  maxIterations: number;
  /** Stop when the objective improves by less than this (relative). */
  tolerance?: number;
}

export interface LogRegModel {
  classes: number;
  features: number;
  /** Row-major [feature][class]. */
  coef: Float64Array;
  bias: Float64Array;
}

/**
 * The examples packed by feature (a CSC matrix): the entries of feature `f` are
 * `colStart[f]…colStart[f + 1]`, each an example index and a value.
 *
 * Why by feature: the objective is bound by memory, not arithmetic. Walking examples reads and
 * writes a random coefficient row per nonzero (two 3.6 MB arrays at 41,000 features × 11
 * classes); walking features streams the coefficient and gradient rows once each and touches
 * the per-example scores instead, which are small enough (examples × classes) to stay in cache.
 */
interface Packed {
  colStart: Int32Array;
  ex: Int32Array;
  val: Float64Array;
  y: Int32Array;
  /** Each example's weight divided by the total weight. */
  w: Float64Array;
  /** Scratch: the scores, then the residuals, of every example ([example][class]). */
  z: Float64Array;
}

function pack(data: readonly Example[], features: number, classes: number): Packed {
  const colStart = new Int32Array(features + 1);
  for (const e of data) for (const f of e.x.idx) colStart[f + 1]!++;
  for (let f = 0; f < features; f++) colStart[f + 1]! += colStart[f]!;
  const cursor = colStart.slice(0, features);
  const ex = new Int32Array(colStart[features]!);
  const val = new Float64Array(colStart[features]!);
  data.forEach((e, i) => {
    e.x.idx.forEach((f, j) => {
      const at = cursor[f]!++;
      ex[at] = i;
      val[at] = e.x.val[j]!;
    });
  });
  const total = data.reduce((s, e) => s + e.weight, 0);
  return {
    colStart,
    ex,
    val,
    y: Int32Array.from(data, (e) => e.y),
    w: Float64Array.from(data, (e) => e.weight / total),
    z: new Float64Array(data.length * classes),
  };
}

/** Turn each example's scores into weighted residuals (softmax − one-hot); returns the loss. */
function residuals(d: Packed, C: number): number {
  const { z } = d;
  let loss = 0;
  for (let i = 0; i < d.y.length; i++) {
    const at = i * C;
    let max = -Infinity;
    for (let k = 0; k < C; k++) if (z[at + k]! > max) max = z[at + k]!;
    let sum = 0;
    for (let k = 0; k < C; k++) {
      z[at + k] = Math.exp(z[at + k]! - max);
      sum += z[at + k]!;
    }
    const w = d.w[i]!;
    const y = d.y[i]!;
    loss -= w * Math.log(z[at + y]! / sum);
    for (let k = 0; k < C; k++) z[at + k] = (w * z[at + k]!) / sum;
    z[at + y]! -= w;
  }
  return loss;
}

/** Objective and gradient at `theta` = [coef…, bias…]. */
function objective(theta: Float64Array, grad: Float64Array, d: Packed, o: LogRegOptions): number {
  const C = o.classes;
  const biasAt = o.features * C;
  const { colStart, ex, val, z } = d;
  for (let i = 0; i < d.y.length; i++) z.set(theta.subarray(biasAt, biasAt + C), i * C);
  for (let f = 0; f < o.features; f++) {
    const base = f * C;
    for (let j = colStart[f]!; j < colStart[f + 1]!; j++) {
      const at = ex[j]! * C;
      const v = val[j]!;
      for (let k = 0; k < C; k++) z[at + k]! += v * theta[base + k]!;
    }
  }
  let loss = residuals(d, C);
  grad.fill(0);
  for (let i = 0; i < d.y.length; i++) {
    for (let k = 0; k < C; k++) grad[biasAt + k]! += z[i * C + k]!;
  }
  for (let f = 0; f < o.features; f++) {
    const base = f * C;
    for (let j = colStart[f]!; j < colStart[f + 1]!; j++) {
      const at = ex[j]! * C;
      const v = val[j]!;
      for (let k = 0; k < C; k++) grad[base + k]! += v * z[at + k]!;
    }
  }
  for (let i = 0; i < biasAt; i++) {
    loss += 0.5 * o.l2 * theta[i]! * theta[i]!;
    grad[i]! += o.l2 * theta[i]!;
  }
  return loss;
}

/** The objective (mean weighted log-loss plus the L2 term) and its gradient at `theta`. */
export function lossAndGradient(
  data: readonly Example[],
  o: LogRegOptions,
  theta: Float64Array,
): { loss: number; grad: Float64Array } {
  const grad = new Float64Array(theta.length);
  const loss = objective(theta, grad, pack(data, o.features, o.classes), o);
  return { loss, grad };
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

export function trainLogReg(data: readonly Example[], o: LogRegOptions): LogRegModel {
  const n = o.features * o.classes + o.classes;
  const packed = pack(data, o.features, o.classes);
  const theta = new Float64Array(n);
  let grad = new Float64Array(n);
  let f = objective(theta, grad, packed, o);
  const m = 5;
  const sList: Float64Array[] = [];
  const yList: Float64Array[] = [];
  const rho: number[] = [];
  const direction = new Float64Array(n);
  const next = new Float64Array(n);
  let nextGrad = new Float64Array(n);
  const tol = o.tolerance ?? 1e-6;
  for (let iter = 0; iter < o.maxIterations; iter++) {
    // two-loop recursion: direction = -H·grad
    direction.set(grad);
    const alpha: number[] = [];
    for (let i = sList.length - 1; i >= 0; i--) {
      const a = rho[i]! * dot(sList[i]!, direction);
      alpha[i] = a;
      const y = yList[i]!;
      for (let j = 0; j < n; j++) direction[j]! -= a * y[j]!;
    }
    const last = sList.length - 1;
    const gamma = last >= 0 ? dot(sList[last]!, yList[last]!) / dot(yList[last]!, yList[last]!) : 1;
    for (let j = 0; j < n; j++) direction[j]! *= gamma;
    for (let i = 0; i < sList.length; i++) {
      const b = rho[i]! * dot(yList[i]!, direction);
      const s = sList[i]!;
      for (let j = 0; j < n; j++) direction[j]! += s[j]! * (alpha[i]! - b);
    }
    for (let j = 0; j < n; j++) direction[j] = -direction[j]!;
    let slope = dot(grad, direction);
    if (slope >= 0) {
      // not a descent direction: restart from steepest descent
      sList.length = 0;
      yList.length = 0;
      rho.length = 0;
      for (let j = 0; j < n; j++) direction[j] = -grad[j]!;
      slope = -dot(grad, grad);
    }
    let step = iter === 0 ? 1 / Math.sqrt(-slope) : 1;
    let fNext = Infinity;
    for (let tries = 0; tries < 30; tries++) {
      for (let j = 0; j < n; j++) next[j] = theta[j]! + step * direction[j]!;
      fNext = objective(next, nextGrad, packed, o);
      if (fNext <= f + 1e-4 * step * slope) break;
      step *= 0.5;
    }
    if (!(fNext < f)) break;
    // reuse the oldest pair's buffers once the history is full
    const s = sList.length >= m ? sList.shift()! : new Float64Array(n);
    const y = yList.length >= m ? yList.shift()! : new Float64Array(n);
    if (rho.length >= m) rho.shift();
    for (let j = 0; j < n; j++) {
      s[j] = next[j]! - theta[j]!;
      y[j] = nextGrad[j]! - grad[j]!;
    }
    const sy = dot(s, y);
    if (sy > 1e-12) {
      sList.push(s);
      yList.push(y);
      rho.push(1 / sy);
    }
    theta.set(next);
    [grad, nextGrad] = [nextGrad, grad];
    const improvement = (f - fNext) / Math.max(1, Math.abs(f));
    f = fNext;
    if (improvement < tol) break;
  }
  const coef = theta.slice(0, o.features * o.classes);
  return {
    classes: o.classes,
    features: o.features,
    coef,
    bias: theta.slice(o.features * o.classes),
  };
}

/** Logits of one vector. */
export function predictLogits(model: LogRegModel, x: SparseVector): Float64Array {
  const C = model.classes;
  const z = Float64Array.from(model.bias);
  for (let j = 0; j < x.idx.length; j++) {
    const base = x.idx[j]! * C;
    const v = x.val[j]!;
    for (let k = 0; k < C; k++) z[k]! += v * model.coef[base + k]!;
  }
  return z;
}
