import { beforeAll, describe, expect, it } from 'vitest';
import { softmaxCrossEntropy } from '../../src/reference/softmax_xent';
import { compareArrays, labelForms, rng } from './gradcheck';
import { F32_TOL, randomF32, tf, toTf, useCpuBackend, values } from './tfjs-oracle-helpers';

beforeAll(useCpuBackend);

describe('softmax cross-entropy reference vs TensorFlow.js', () => {
  for (const [n, k, scale] of [
    [1, 10, 3],
    [8, 10, 5],
    [5, 3, 20], // large logits: the log-sum-exp path matters
  ]) {
    it(`[${n},${k}] logits in ±${scale}: loss, probs and dLogits (sparse, one-hot and soft labels)`, () => {
      const rand = rng(n * 100 + k + scale);
      const logits = randomF32([n, k], rand, -scale, scale);
      const { sparse, onehot, soft } = labelForms(n, k, rand, randomF32);
      const zt = toTf(logits);
      for (const [labels, yt] of [
        [sparse, tf.oneHot(tf.tensor1d(sparse, 'int32'), k)],
        [onehot, toTf(onehot)],
        [soft, toTf(soft)],
      ] as const) {
        const ours = softmaxCrossEntropy(logits, labels);
        // tf.losses.softmaxCrossEntropy's default reduction (SUM_BY_NONZERO_WEIGHTS) is the batch mean.
        const lossFn = (z: tf.Tensor) => tf.losses.softmaxCrossEntropy(yt, z);
        const loss = values(lossFn(zt))[0];
        expect(Math.abs(ours.loss - loss)).toBeLessThanOrEqual(1e-5 + 1e-4 * Math.abs(loss));
        expect(compareArrays(ours.probs.data, values(tf.softmax(zt)), F32_TOL)).toEqual([]);
        expect(compareArrays(ours.dLogits.data, values(tf.grad(lossFn)(zt)), F32_TOL)).toEqual([]);
        // Independent path: -mean(sum(y * logSoftmax(z))) differentiated by tfjs's autodiff.
        const viaLogSoftmax = (z: tf.Tensor) => tf.neg(tf.mean(tf.sum(tf.mul(yt, tf.logSoftmax(z)), -1)));
        expect(Math.abs(ours.loss - values(viaLogSoftmax(zt))[0])).toBeLessThanOrEqual(
          1e-5 + 1e-4 * Math.abs(loss),
        );
        expect(compareArrays(ours.dLogits.data, values(tf.grad(viaLogSoftmax)(zt)), F32_TOL)).toEqual([]);
        // Accuracy count against tf.argMax.
        const hits = values(tf.cast(tf.equal(tf.argMax(zt, -1), tf.argMax(yt, -1)), 'float32')).reduce(
          (a, b) => a + b,
          0,
        );
        expect(ours.correct).toBe(hits);
      }
      zt.dispose();
    });
  }
});
