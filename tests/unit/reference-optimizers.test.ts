import { describe, expect, it } from 'vitest';
import { adamStep, makeOptimizerState, rmspropStep, sgdStep } from '../../src/reference/optimizers';
import { randomTensor, rng } from './gradcheck';

// Each optimizer is checked two ways: against numbers published in the Keras / TF docs for
// loss = p^2 / 2 (so g = p), and step by step against the textbook form of the formula written here again,
// arranged differently from the implementation (e.g. Adam with explicit bias-corrected m-hat and v-hat).

describe('SGD reference', () => {
  it('reproduces the documented example: p = 1, g = p, lr 0.1, momentum 0.9 -> steps -0.1, -0.18', () => {
    const p = new Float64Array([1]);
    const state = makeOptimizerState('sgd', 1);
    sgdStep(p, new Float64Array([p[0]]), state, { learningRate: 0.1, momentum: 0.9 });
    expect(p[0]).toBeCloseTo(0.9, 15);
    sgdStep(p, new Float64Array([p[0]]), state, { learningRate: 0.1, momentum: 0.9 });
    expect(p[0]).toBeCloseTo(0.72, 15);
  });

  it('plain SGD uses the Keras default learning rate 0.01', () => {
    const p = new Float64Array([1, -2]);
    sgdStep(p, new Float64Array([3, 4]), {});
    expect([...p]).toEqual([1 - 0.03, -2 - 0.04]);
  });

  it('momentum and Nesterov match the textbook recursion over 5 steps', () => {
    for (const nesterov of [false, true]) {
      const rand = rng(nesterov ? 2 : 1);
      const p = randomTensor([6], rand).data;
      const expected = Float64Array.from(p);
      const vel = new Float64Array(6);
      const state = {};
      const lr = 0.05;
      const m = 0.8;
      for (let step = 0; step < 5; step++) {
        const g = randomTensor([6], rand).data;
        sgdStep(p, g, state, { learningRate: lr, momentum: m, nesterov });
        for (let i = 0; i < 6; i++) {
          vel[i] = m * vel[i] - lr * g[i];
          // Nesterov "look-ahead" form: the step is the new velocity projected once more.
          expected[i] = nesterov ? expected[i] + m * vel[i] - lr * g[i] : expected[i] + vel[i];
        }
      }
      for (let i = 0; i < 6; i++) expect(p[i]).toBeCloseTo(expected[i], 14);
    }
  });
});

describe('Adam reference', () => {
  it('first step moves every parameter by about lr * sign(g) (bias correction)', () => {
    const p = new Float64Array([1, -1, 0.5]);
    adamStep(p, new Float64Array([0.3, -2, 1e-3]), makeOptimizerState('adam', 3));
    // m-hat = g, v-hat = g^2 -> step = lr * g / (|g| + eps / sqrt(1 - b2)).
    expect(p[0]).toBeCloseTo(1 - 0.001 * (0.3 / (0.3 + 1e-7 / Math.sqrt(0.001))), 14);
    expect(p[1]).toBeCloseTo(-1 + 0.001 * (2 / (2 + 1e-7 / Math.sqrt(0.001))), 14);
    expect(p[2]).toBeCloseTo(0.5 - 0.001 * (1e-3 / (1e-3 + 1e-7 / Math.sqrt(0.001))), 14);
  });

  it('matches the bias-corrected textbook form for 6 steps (Keras epsilon-hat placement)', () => {
    const rand = rng(3);
    const p = randomTensor([5], rand).data;
    const expected = Float64Array.from(p);
    const m = new Float64Array(5);
    const v = new Float64Array(5);
    const state = makeOptimizerState('adam', 5);
    const [lr, b1, b2, eps] = [0.01, 0.8, 0.95, 1e-4];
    for (let t = 1; t <= 6; t++) {
      const g = randomTensor([5], rand).data;
      adamStep(p, g, state, { learningRate: lr, beta1: b1, beta2: b2, epsilon: eps });
      for (let i = 0; i < 5; i++) {
        m[i] = b1 * m[i] + (1 - b1) * g[i];
        v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
        const mHat = m[i] / (1 - b1 ** t);
        const vHat = v[i] / (1 - b2 ** t);
        // Keras adds eps to sqrt(v), not sqrt(v-hat): eps-hat = eps / sqrt(1 - b2^t) in this form.
        expected[i] -= (lr * mHat) / (Math.sqrt(vHat) + eps / Math.sqrt(1 - b2 ** t));
      }
    }
    expect(state.t).toBe(6);
    for (let i = 0; i < 5; i++) expect(p[i]).toBeCloseTo(expected[i], 13);
  });
});

describe('RMSprop reference', () => {
  it('reproduces the Keras docstring example: p = 10, g = p, lr 0.1 -> 9.683772', () => {
    const p = new Float64Array([10]);
    rmspropStep(p, new Float64Array([10]), makeOptimizerState('rmsprop', 1), { learningRate: 0.1 });
    expect(p[0]).toBeCloseTo(9.683772, 6);
  });

  it('matches the textbook recursion for plain, momentum and centered variants over 5 steps', () => {
    for (const [momentum, centered] of [
      [0, false],
      [0.7, false],
      [0, true],
      [0.5, true],
    ] as const) {
      const rand = rng(10 + momentum * 10 + (centered ? 1 : 0));
      const p = randomTensor([4], rand).data;
      const expected = Float64Array.from(p);
      const ms = new Float64Array(4);
      const mg = new Float64Array(4);
      const mom = new Float64Array(4);
      const state = makeOptimizerState('rmsprop', 4);
      const [lr, rho, eps] = [0.01, 0.85, 1e-3];
      for (let step = 0; step < 5; step++) {
        const g = randomTensor([4], rand).data;
        rmspropStep(p, g, state, { learningRate: lr, rho, momentum, epsilon: eps, centered });
        for (let i = 0; i < 4; i++) {
          ms[i] = rho * ms[i] + (1 - rho) * g[i] ** 2;
          mg[i] = rho * mg[i] + (1 - rho) * g[i];
          const variance = centered ? ms[i] - mg[i] ** 2 : ms[i];
          mom[i] = momentum * mom[i] + (lr * g[i]) / Math.sqrt(variance + eps);
          expected[i] -= mom[i];
        }
      }
      for (let i = 0; i < 4; i++) expect(p[i]).toBeCloseTo(expected[i], 14);
    }
  });
});
