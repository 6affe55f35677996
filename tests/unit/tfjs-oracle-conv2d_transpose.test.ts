import { beforeAll, describe, expect, it } from 'vitest';
import { conv2dTransposeBackward, conv2dTransposeForward } from '../../src/reference/conv2d_transpose';
import type { Padding } from '../../src/reference/tensor';
import { compareArrays, rng } from './gradcheck';
import { F32_TOL, randomF32, tf, toTf, toTf1d, useCpuBackend, values } from './tfjs-oracle-helpers';

beforeAll(useCpuBackend);

const cases: { x: number[]; k: number[]; stride: number; padding: Padding }[] = [
  { x: [2, 4, 4, 3], k: [3, 3, 5, 3], stride: 2, padding: 'same' },
  { x: [1, 3, 5, 2], k: [3, 3, 4, 2], stride: 2, padding: 'valid' },
  { x: [2, 4, 3, 2], k: [4, 4, 3, 2], stride: 2, padding: 'same' },
  { x: [1, 5, 5, 3], k: [3, 3, 2, 3], stride: 1, padding: 'same' },
];

describe('conv2d_transpose reference vs TensorFlow.js', () => {
  for (const c of cases) {
    it(`x [${c.x}] k [${c.k}] stride ${c.stride} ${c.padding}: values and grads (x, kernel, bias)`, () => {
      const rand = rng(c.x.concat(c.k).reduce((a, b) => a * 19 + b, c.stride));
      const x = randomF32(c.x, rand);
      const k = randomF32(c.k, rand);
      const bias = randomF32([c.k[2]], rand).data;
      const opts = { strides: [c.stride, c.stride] as [number, number], padding: c.padding };
      const y = conv2dTransposeForward(x, k, bias, opts);
      const dY = randomF32(y.shape, rand);
      const ours = conv2dTransposeBackward(x, k, dY, opts);
      const outShape = [c.x[0], y.shape[1], y.shape[2], c.k[2]] as [number, number, number, number];
      const f = (xt: tf.Tensor, kt: tf.Tensor, bt: tf.Tensor) =>
        tf.add(tf.conv2dTranspose(xt as tf.Tensor4D, kt as tf.Tensor4D, outShape, c.stride, c.padding), bt);
      const [xt, kt, bt] = [toTf(x), toTf(k), toTf1d(bias)];
      const yt = f(xt, kt, bt);
      expect(yt.shape).toEqual(y.shape);
      expect(compareArrays(y.data, values(yt), F32_TOL)).toEqual([]);
      const [dXt, dKt, dBt] = tf.grads(f)([xt, kt, bt], toTf(dY));
      expect(compareArrays(ours.dX.data, values(dXt), F32_TOL)).toEqual([]);
      expect(compareArrays(ours.dKernel.data, values(dKt), F32_TOL)).toEqual([]);
      expect(compareArrays(ours.dBias, values(dBt), F32_TOL)).toEqual([]);
      tf.dispose([xt, kt, bt]);
    });
  }
});
