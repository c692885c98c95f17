import { describe, expect, it } from 'vitest';
import {
  type Example,
  lossAndGradient,
  predictLogits,
  trainLogReg,
} from '../../../scripts/routing/logreg.js';

/** A small deterministic problem: sparse examples whose class follows from their features. */
function problem(n: number, features: number, classes: number, seed = 7): Example[] {
  let s = seed;
  const rand = () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s / 2 ** 31;
  };
  return Array.from({ length: n }, (_, i) => {
    const y = i % classes;
    const idx = new Set<number>([y]);
    // features below `classes` name the class; the others are noise
    while (idx.size < 4) idx.add(classes + Math.floor(rand() * (features - classes)));
    const sorted = [...idx].sort((a, b) => a - b);
    return {
      x: { idx: Int32Array.from(sorted), val: Float32Array.from(sorted, () => 0.5 + rand()) },
      y,
      weight: 0.5 + rand(),
    };
  });
}

describe('trainLogReg', () => {
  const options = { classes: 3, features: 12, l2: 1e-3, maxIterations: 100 };

  it('has the gradient of its objective (finite differences)', () => {
    const data = problem(30, options.features, options.classes);
    const n = options.features * options.classes + options.classes;
    const theta = Float64Array.from({ length: n }, (_, i) => Math.sin(i) * 0.3);
    const { grad } = lossAndGradient(data, options, theta);
    const h = 1e-6;
    for (const i of [0, 5, 17, 35, n - 1]) {
      const up = theta.slice();
      const down = theta.slice();
      up[i]! += h;
      down[i]! -= h;
      const numeric =
        (lossAndGradient(data, options, up).loss - lossAndGradient(data, options, down).loss) /
        (2 * h);
      expect(grad[i]!).toBeCloseTo(numeric, 6);
    }
  });

  it('learns a separable problem and is the same whatever the order of the examples', () => {
    const data = problem(60, options.features, options.classes);
    const model = trainLogReg(data, options);
    for (const e of data) {
      const z = predictLogits(model, e.x);
      expect(z.indexOf(Math.max(...z))).toBe(e.y);
    }
    const again = trainLogReg([...data].reverse(), options);
    for (let i = 0; i < model.coef.length; i++) {
      expect(again.coef[i]!).toBeCloseTo(model.coef[i]!, 6);
    }
  });

  it('gives the same model on every run', () => {
    const data = problem(40, options.features, options.classes, 3);
    expect(trainLogReg(data, options).coef).toEqual(trainLogReg(data, options).coef);
  });
});
