// Binary cross-entropy (sigmoid fused) and mean squared error of src/reference/losses.ts against TensorFlow.js:
// loss and the gradient with respect to the logits (or outputs), one unit and several.
import { beforeAll, describe, expect, it } from 'vitest';
import { pointwiseLoss } from '../../src/reference/losses';
import { compareArrays, rng } from './gradcheck';
import { randomF32, tf, toTf, useCpuBackend, values } from './tfjs-oracle-helpers';

beforeAll(useCpuBackend);

describe('per-unit losses vs TensorFlow.js', () => {
  for (const [n, units, scale] of [
    [8, 1, 3],
    [6, 4, 3],
    [5, 1, 30], // saturated sigmoids: the logits form must stay exact
  ]) {
    it(`binary cross-entropy [${n},${units}] logits in ±${scale}: loss and dLogits`, () => {
      const rand = rng(n * 10 + units + scale);
      const z = randomF32([n, units], rand, -scale, scale);
      const labels = Int32Array.from({ length: n }, () => Math.floor(rand() * (units === 1 ? 2 : units)));
      const targets = new Float32Array(n * units);
      labels.forEach((l, r) => {
        if (units === 1) targets[r] = l;
        else targets[r * units + l] = 1;
      });
      const yt = tf.tensor(targets, [n, units]);
      // tf.losses.sigmoidCrossEntropy takes logits and averages over every element (= mean of row means).
      const lossFn = (x: tf.Tensor) => tf.losses.sigmoidCrossEntropy(yt, x);
      const zt = toTf(z);
      const theirs = values(lossFn(zt))[0];
      const ours = pointwiseLoss('binary_crossentropy', z, labels);
      expect(Math.abs(ours.loss - theirs)).toBeLessThanOrEqual(1e-5 + 1e-4 * Math.abs(theirs));
      const grad = values(tf.grad(lossFn)(zt));
      expect(compareArrays(ours.dOutputs.data, grad, { rtol: 1e-4, atol: 1e-7 })).toEqual([]);
      // Keras's probability form, -[t log p + (1 - t) log(1 - p)], agrees where p is not saturated.
      if (scale < 10) {
        const p = tf.sigmoid(zt);
        const manual = values(
          tf.neg(tf.mean(tf.add(tf.mul(yt, tf.log(p)), tf.mul(tf.sub(1, yt), tf.log(tf.sub(1, p)))))),
        )[0];
        expect(Math.abs(ours.loss - manual)).toBeLessThanOrEqual(1e-4 * Math.abs(manual) + 1e-6);
      }
    });
  }

  it('mean squared error [6,5] against one-hot rows: loss and gradient', () => {
    const rand = rng(99);
    const y = randomF32([6, 5], rand, -1, 2);
    const labels = Int32Array.from({ length: 6 }, () => Math.floor(rand() * 5));
    const yt = tf.cast(tf.oneHot(tf.tensor1d(labels, 'int32'), 5), 'float32');
    const lossFn = (x: tf.Tensor) => tf.losses.meanSquaredError(yt, x);
    const xt = toTf(y);
    const theirs = values(lossFn(xt))[0];
    const ours = pointwiseLoss('mean_squared_error', y, labels);
    expect(Math.abs(ours.loss - theirs)).toBeLessThanOrEqual(1e-5 + 1e-4 * Math.abs(theirs));
    expect(
      compareArrays(ours.dOutputs.data, values(tf.grad(lossFn)(xt)), { rtol: 1e-4, atol: 1e-7 }),
    ).toEqual([]);
  });
});
