import { beforeAll, describe, expect, it } from 'vitest';
import { adamStep, makeOptimizerState, rmspropStep, sgdStep } from '../../src/reference/optimizers';
import { compareArrays, rng } from './gradcheck';
import { randomF32, tf, useCpuBackend, values } from './tfjs-oracle-helpers';

beforeAll(useCpuBackend);

const SIZE = 12;
const STEPS = 6;
let counter = 0;

/**
 * Runs STEPS updates of the same random gradients through our step function and a tfjs optimizer and
 * returns both total displacements p_final - p_0 (the comparison is on the displacement, a few 1e-3,
 * rather than on p itself, where float32 rounding of p ~ 1 would dominate).
 */
function run(
  seed: number,
  ours: (p: Float64Array, g: Float64Array) => void,
  theirs: tf.Optimizer,
): { ours: Float64Array; tfjs: Float64Array } {
  const rand = rng(seed);
  const p0 = randomF32([SIZE], rand).data;
  const p = Float64Array.from(p0);
  const name = `oracle_param_${counter++}`;
  const variable = tf.variable(tf.tensor1d(Float32Array.from(p0)), true, name);
  for (let s = 0; s < STEPS; s++) {
    const g = randomF32([SIZE], rand, -2, 2).data;
    ours(p, g);
    const gt = tf.tensor1d(Float32Array.from(g));
    theirs.applyGradients({ [name]: gt });
    gt.dispose();
  }
  const final = values(variable.clone());
  variable.dispose();
  theirs.dispose();
  return {
    ours: p.map((v, i) => v - p0[i]),
    tfjs: Float64Array.from(final, (v, i) => v - p0[i]),
  };
}

// Displacements are ~lr * STEPS; float32 parameters ~1 carry ~6e-8 absolute rounding per step.
const TOL = { rtol: 1e-4, atol: 2e-6 };

describe('optimizer references vs TensorFlow.js optimizers', () => {
  it('plain SGD equals tf.train.sgd', () => {
    const r = run(1, (p, g) => sgdStep(p, g, {}, { learningRate: 0.05 }), tf.train.sgd(0.05));
    expect(compareArrays(r.ours, r.tfjs, TOL)).toEqual([]);
  });

  for (const nesterov of [false, true]) {
    it(`SGD momentum 0.9${nesterov ? ' nesterov' : ''} equals tf.train.momentum`, () => {
      // tfjs keeps accum = m accum + g and steps -lr accum; Keras keeps v = m v - lr g = -lr accum: the same
      // trajectory for a constant learning rate (Nesterov: -lr (g + m accum) = m v - lr g).
      const state = makeOptimizerState('sgd', SIZE);
      const r = run(
        2,
        (p, g) => sgdStep(p, g, state, { learningRate: 0.05, momentum: 0.9, nesterov }),
        tf.train.momentum(0.05, 0.9, nesterov),
      );
      expect(compareArrays(r.ours, r.tfjs, TOL)).toEqual([]);
    });
  }

  it('Adam matches tf.train.adam up to epsilon placement', () => {
    // tfjs: p -= lr m_hat / (sqrt(v_hat) + eps); Keras: p -= lr m_hat / (sqrt(v_hat) + eps / sqrt(1 - b2^t)).
    // The gap is ~ eps / (sqrt(1 - b2^t) |g|) relative: at most ~3e-6 / |g| on the first step, so for these
    // gradients (|g| up to 2) it stays far below the displacement tolerance; a large-eps run below shows it.
    const state = makeOptimizerState('adam', SIZE);
    const r = run(3, (p, g) => adamStep(p, g, state, {}), tf.train.adam(0.001, 0.9, 0.999, 1e-7));
    expect(compareArrays(r.ours, r.tfjs, TOL)).toEqual([]);
    // With eps = 0.1 the placements disagree visibly: the reference must NOT match tfjs here (Keras semantics).
    const big = makeOptimizerState('adam', SIZE);
    const d = run(4, (p, g) => adamStep(p, g, big, { epsilon: 0.1 }), tf.train.adam(0.001, 0.9, 0.999, 0.1));
    expect(compareArrays(d.ours, d.tfjs, TOL)).not.toEqual([]);
  });

  for (const [momentum, centered] of [
    [0, false],
    [0.9, false],
    [0, true],
    [0.5, true],
  ] as const) {
    it(`RMSprop momentum ${momentum}${centered ? ' centered' : ''} equals tf.train.rmsprop`, () => {
      // Same rule as Keras 3: eps inside the square root, plain (non-Nesterov) momentum. Except: tfjs 4.22's
      // centered branch computes sqrt(ms - (mg^2 + eps)), subtracting eps where Keras and TF add it. So for
      // centered we check (a) eps = 0 on both sides, the same formula, and (b) that tfjs with eps equals our
      // step with -eps, i.e. the only difference is that sign.
      const seed = 5 + momentum * 10 + (centered ? 1 : 0);
      const step = (epsilon: number) => {
        const state = makeOptimizerState('rmsprop', SIZE);
        return (p: Float64Array, g: Float64Array) =>
          rmspropStep(p, g, state, { learningRate: 0.01, rho: 0.9, momentum, epsilon, centered });
      };
      if (!centered) {
        const r = run(seed, step(1e-7), tf.train.rmsprop(0.01, 0.9, momentum, 1e-7, false));
        expect(compareArrays(r.ours, r.tfjs, TOL)).toEqual([]);
        return;
      }
      const r = run(seed, step(0), tf.train.rmsprop(0.01, 0.9, momentum, 0, true));
      expect(compareArrays(r.ours, r.tfjs, TOL)).toEqual([]);
      // Visible on entries whose centred variance is small, yet below every variance here (no sqrt of < 0).
      const eps = 1e-5;
      const flipped = run(seed, step(-eps), tf.train.rmsprop(0.01, 0.9, momentum, eps, true));
      expect(compareArrays(flipped.ours, flipped.tfjs, TOL)).toEqual([]);
      const keras = run(seed, step(eps), tf.train.rmsprop(0.01, 0.9, momentum, eps, true));
      expect(compareArrays(keras.ours, keras.tfjs, TOL)).not.toEqual([]);
    });
  }
});
