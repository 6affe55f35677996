// BatchNormalization reference against TensorFlow.js: training (batch moments, tf.moments is biased as Keras 3's
// ops.moments) with gradients through the statistics, and inference with the moving statistics through
// tfjs-layers' own BatchNormalization layer (momentum / epsilon / center / scale as Keras names them).
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { batchnormApply, batchnormBackward, batchnormTrainForward } from '../../src/reference/batchnorm';
import { compareArrays, rng } from './gradcheck';
import { F32_TOL, randomF32, tf, toTf, toTf1d, useCpuBackend, values } from './tfjs-oracle-helpers';

beforeAll(useCpuBackend);

const EPS = 1e-3;
const shapes = [
  [8, 5],
  [3, 4, 5, 6],
  [2, 7, 3, 2],
];

describe('batchnorm reference vs TensorFlow.js', () => {
  for (const shape of shapes) {
    it(`training, x [${shape}]: output and gradients w.r.t. x, gamma, beta`, () => {
      const rand = rng(shape.reduce((a, b) => a * 11 + b, 1));
      const c = shape[shape.length - 1];
      const x = randomF32(shape, rand, -2, 3);
      const gamma = randomF32([c], rand, 0.5, 1.5).data;
      const beta = randomF32([c], rand).data;
      const opts = { epsilon: EPS, gamma, beta };
      const ours = batchnormTrainForward(x, opts);
      const dY = randomF32(shape, rand);
      const grads = batchnormBackward(x, dY, opts);

      const axes = shape.slice(0, -1).map((_, i) => i);
      const bn = (xt: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
        const { mean, variance } = tf.moments(xt, axes);
        return tf.batchNorm(xt, mean, variance, b as tf.Tensor1D, g as tf.Tensor1D, EPS);
      };
      const [xt, gt, bt] = [toTf(x), toTf1d(gamma), toTf1d(beta)];
      const { mean, variance } = tf.moments(xt, axes);
      expect(compareArrays(ours.mean, values(mean), F32_TOL)).toEqual([]);
      expect(compareArrays(ours.variance, values(variance), F32_TOL)).toEqual([]);
      expect(compareArrays(ours.y.data, values(bn(xt, gt, bt)), F32_TOL)).toEqual([]);
      const [dXt, dGt, dBt] = tf.grads(bn)([xt, gt, bt], toTf(dY));
      // dX is a difference of terms of size |dY| / std: a few float32 ulps of those.
      expect(compareArrays(grads.dX.data, values(dXt), { rtol: 1e-3, atol: 1e-4 })).toEqual([]);
      expect(compareArrays(grads.dGamma, values(dGt), F32_TOL)).toEqual([]);
      expect(compareArrays(grads.dBeta, values(dBt), F32_TOL)).toEqual([]);
      tf.dispose([xt, gt, bt]);
    });
  }

  it('inference: tfjs-layers BatchNormalization with the 4 Keras weights equals the moving-statistics map', () => {
    const rand = rng(99);
    const shape = [3, 4, 4, 5];
    const x = randomF32(shape, rand, -2, 2);
    const [gamma, beta, movingMean] = [0, 1, 2].map(() => randomF32([5], rand).data);
    const movingVariance = randomF32([5], rand, 0.2, 2).data;
    for (const [center, scale] of [
      [true, true],
      [false, true],
      [true, false],
    ]) {
      const layer = tfl.layers.batchNormalization({ axis: -1, momentum: 0.99, epsilon: EPS, center, scale });
      layer.build([null, 4, 4, 5]);
      const weights = [...(scale ? [gamma] : []), ...(center ? [beta] : []), movingMean, movingVariance];
      layer.setWeights(weights.map((w) => toTf1d(w)));
      const yt = layer.apply(toTf(x), { training: false }) as tf.Tensor;
      const ours = batchnormApply(x, movingMean, movingVariance, {
        epsilon: EPS,
        gamma: scale ? gamma : null,
        beta: center ? beta : null,
      });
      expect(compareArrays(ours.data, values(yt), F32_TOL)).toEqual([]);
    }
  });
});
