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

/** The examples packed into flat arrays (rows of a CSR matrix), for a fast objective. */
interface Packed {
  offsets: Int32Array;
  idx: Int32Array;
  val: Float64Array;
  y: Int32Array;
  /** Each example's weight divided by the total weight. */
  w: Float64Array;
}

/**
 * Rows of the coefficient matrix in order of how many examples use them, most used first: the
 * objective reads and writes a row per nonzero, and keeping the busy rows together keeps them in
 * cache (about 8 % faster here). `rowOf[feature]` is the row; the model is returned in feature order.
 */
function rowsByUse(data: readonly Example[], features: number): Int32Array {
  const uses = new Int32Array(features);
  for (const e of data) for (const f of e.x.idx) uses[f]!++;
  const order = Array.from({ length: features }, (_, f) => f).sort(
    (a, b) => uses[b]! - uses[a]! || a - b,
  );
  const rowOf = new Int32Array(features);
  order.forEach((f, row) => {
    rowOf[f] = row;
  });
  return rowOf;
}

function pack(data: readonly Example[], rowOf: Int32Array): Packed {
  const offsets = new Int32Array(data.length + 1);
  data.forEach((e, i) => {
    offsets[i + 1] = offsets[i]! + e.x.idx.length;
  });
  const idx = new Int32Array(offsets[data.length]!);
  const val = new Float64Array(offsets[data.length]!);
  const total = data.reduce((s, e) => s + e.weight, 0);
  data.forEach((e, i) => {
    const at = offsets[i]!;
    e.x.idx.forEach((f, j) => {
      idx[at + j] = rowOf[f]!;
    });
    val.set(e.x.val, at);
  });
  return {
    offsets,
    idx,
    val,
    y: Int32Array.from(data, (e) => e.y),
    w: Float64Array.from(data, (e) => e.weight / total),
  };
}

/** Objective and gradient at `theta` = [coef…, bias…]. */
function objective(theta: Float64Array, grad: Float64Array, d: Packed, o: LogRegOptions): number {
  const C = o.classes;
  const biasAt = o.features * C;
  grad.fill(0);
  let loss = 0;
  const z = new Float64Array(C);
  const { offsets, idx, val } = d;
  for (let i = 0; i < d.y.length; i++) {
    const start = offsets[i]!;
    const end = offsets[i + 1]!;
    for (let k = 0; k < C; k++) z[k] = theta[biasAt + k]!;
    for (let j = start; j < end; j++) {
      const base = idx[j]! * C;
      const v = val[j]!;
      for (let k = 0; k < C; k++) z[k]! += v * theta[base + k]!;
    }
    let max = -Infinity;
    for (let k = 0; k < C; k++) if (z[k]! > max) max = z[k]!;
    let sum = 0;
    for (let k = 0; k < C; k++) {
      z[k] = Math.exp(z[k]! - max);
      sum += z[k]!;
    }
    const w = d.w[i]!;
    const y = d.y[i]!;
    loss -= w * Math.log(z[y]! / sum);
    for (let k = 0; k < C; k++) z[k] = (w * z[k]!) / sum;
    z[y]! -= w;
    for (let k = 0; k < C; k++) grad[biasAt + k]! += z[k]!;
    for (let j = start; j < end; j++) {
      const base = idx[j]! * C;
      const v = val[j]!;
      for (let k = 0; k < C; k++) grad[base + k]! += v * z[k]!;
    }
  }
  for (let i = 0; i < biasAt; i++) {
    loss += 0.5 * o.l2 * theta[i]! * theta[i]!;
    grad[i]! += o.l2 * theta[i]!;
  }
  return loss;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

export function trainLogReg(data: readonly Example[], o: LogRegOptions): LogRegModel {
  const n = o.features * o.classes + o.classes;
  const rowOf = rowsByUse(data, o.features);
  const packed = pack(data, rowOf);
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
  const C = o.classes;
  const coef = new Float64Array(o.features * C);
  for (let f = 0; f < o.features; f++) {
    coef.set(theta.subarray(rowOf[f]! * C, rowOf[f]! * C + C), f * C);
  }
  return { classes: C, features: o.features, coef, bias: theta.slice(o.features * C) };
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
