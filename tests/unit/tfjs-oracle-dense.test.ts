import { beforeAll, describe, expect, it } from 'vitest';
import { denseBackward, denseForward } from '../../src/reference/dense';
import { compareArrays, rng } from './gradcheck';
import { F32_TOL, randomF32, tf, toTf, toTf1d, useCpuBackend, values } from './tfjs-oracle-helpers';

beforeAll(useCpuBackend);

describe('dense reference vs TensorFlow.js (matMul + bias)', () => {
  for (const [n, fin, fout] of [
    [1, 5, 3],
    [4, 7, 10],
    [3, 400, 120], // LeNet F5-sized
    [5, 84, 10],
  ]) {
    it(`[${n},${fin}] x [${fin},${fout}]: values and grads (x, kernel, bias)`, () => {
      const rand = rng(n * 7919 + fin * 31 + fout);
      const x = randomF32([n, fin], rand);
      const k = randomF32([fin, fout], rand);
      const b = randomF32([fout], rand).data;
      const y = denseForward(x, k, b);
      const dY = randomF32([n, fout], rand);
      const ours = denseBackward(x, k, dY);
      const dense = (xt: tf.Tensor, kt: tf.Tensor, bt: tf.Tensor) =>
        tf.add(tf.matMul(xt as tf.Tensor2D, kt as tf.Tensor2D), bt);
      const [xt, kt, bt] = [toTf(x), toTf(k), toTf1d(b)];
      expect(compareArrays(y.data, values(dense(xt, kt, bt)), F32_TOL)).toEqual([]);
      const [dXt, dKt, dBt] = tf.grads(dense)([xt, kt, bt], toTf(dY));
      expect(compareArrays(ours.dX.data, values(dXt), F32_TOL)).toEqual([]);
      expect(compareArrays(ours.dKernel.data, values(dKt), F32_TOL)).toEqual([]);
      expect(compareArrays(ours.dBias, values(dBt), F32_TOL)).toEqual([]);
      tf.dispose([xt, kt, bt]);
    });
  }
});
