import { beforeAll, describe, expect, it } from 'vitest';
import { depthwiseConv2dBackward, depthwiseConv2dForward } from '../../src/reference/depthwise_conv2d';
import type { Padding } from '../../src/reference/tensor';
import { compareArrays, rng } from './gradcheck';
import { F32_TOL, randomF32, tf, toTf, toTf1d, useCpuBackend, values } from './tfjs-oracle-helpers';

beforeAll(useCpuBackend);

const cases: { x: number[]; k: number[]; stride: number; padding: Padding }[] = [
  { x: [2, 7, 5, 3], k: [3, 3, 3, 1], stride: 1, padding: 'same' },
  { x: [2, 7, 5, 3], k: [3, 3, 3, 2], stride: 1, padding: 'valid' },
  { x: [1, 8, 8, 4], k: [3, 3, 4, 1], stride: 2, padding: 'same' }, // MobileNet's strided block
  { x: [1, 9, 7, 2], k: [4, 4, 2, 3], stride: 2, padding: 'same' }, // even kernel: asymmetric padding
];

describe('depthwise_conv2d reference vs TensorFlow.js', () => {
  for (const c of cases) {
    it(`x [${c.x}] k [${c.k}] stride ${c.stride} ${c.padding}: values and grads (x, kernel, bias)`, () => {
      const rand = rng(c.x.concat(c.k).reduce((a, b) => a * 17 + b, c.stride));
      const x = randomF32(c.x, rand);
      const k = randomF32(c.k, rand);
      const bias = randomF32([c.k[2] * c.k[3]], rand).data;
      const opts = { strides: [c.stride, c.stride] as [number, number], padding: c.padding };
      const y = depthwiseConv2dForward(x, k, bias, opts);
      const dY = randomF32(y.shape, rand);
      const ours = depthwiseConv2dBackward(x, k, dY, opts);
      const f = (xt: tf.Tensor, kt: tf.Tensor, bt: tf.Tensor) =>
        tf.add(tf.depthwiseConv2d(xt as tf.Tensor4D, kt as tf.Tensor4D, c.stride, c.padding), bt);
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
