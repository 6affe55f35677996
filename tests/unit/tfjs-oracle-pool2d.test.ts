import { beforeAll, describe, expect, it } from 'vitest';
import { type Pool2dOptions, pool2dBackward, pool2dForward } from '../../src/reference/pool2d';
import { type Padding, tensor } from '../../src/reference/tensor';
import { compareArrays, dot, rng } from './gradcheck';
import { F32_TOL, randomF32, tf, toTf, useCpuBackend, values } from './tfjs-oracle-helpers';

beforeAll(useCpuBackend);

interface Case {
  x: number[];
  pool: [number, number];
  strides: [number, number];
  padding: Padding;
  /** Some 'same' windows hang over the edge (tfjs's avg-pool gradient is wrong there, see below). */
  partial?: boolean;
}
const cases: Case[] = [
  { x: [2, 7, 5, 3], pool: [2, 2], strides: [2, 2], padding: 'valid' },
  { x: [2, 7, 5, 3], pool: [2, 2], strides: [2, 2], padding: 'same', partial: true },
  { x: [1, 8, 6, 5], pool: [2, 2], strides: [2, 2], padding: 'same' }, // divisible: no partial window
  { x: [1, 7, 7, 5], pool: [3, 3], strides: [2, 2], padding: 'same', partial: true },
  { x: [1, 7, 7, 2], pool: [3, 3], strides: [2, 2], padding: 'valid' },
  { x: [2, 6, 5, 1], pool: [3, 2], strides: [1, 2], padding: 'valid' },
  { x: [1, 6, 5, 3], pool: [3, 3], strides: [1, 1], padding: 'same', partial: true },
];

function tfPool(mode: 'max' | 'avg', c: Case) {
  return (x: tf.Tensor) =>
    mode === 'max'
      ? tf.maxPool(x as tf.Tensor4D, c.pool, c.strides, c.padding)
      : tf.avgPool(x as tf.Tensor4D, c.pool, c.strides, c.padding);
}

describe('pool2d reference vs TensorFlow.js', () => {
  for (const mode of ['max', 'avg'] as const) {
    for (const c of cases) {
      const label = `${mode} x [${c.x}] pool ${c.pool} strides ${c.strides} ${c.padding}`;
      it(`${label}: values and dX`, () => {
        const rand = rng(c.x.reduce((a, b) => a * 7 + b, mode === 'max' ? 5 : 6));
        const x = randomF32(c.x, rand);
        const opts: Pool2dOptions = { mode, poolSize: c.pool, strides: c.strides, padding: c.padding };
        const y = pool2dForward(x, opts);
        const dY = randomF32(y.shape, rand);
        const dX = pool2dBackward(x, dY, opts);
        const xt = toTf(x);
        const yt = tfPool(mode, c)(xt);
        expect(yt.shape).toEqual(y.shape);
        expect(compareArrays(y.data, values(yt), F32_TOL)).toEqual([]);
        if (mode === 'avg' && c.partial) {
          // tfjs-backend-cpu's AvgPoolGrad scales every window by 1 / (kh * kw), even windows that hang over
          // the 'same' padding, while its forward divides by the in-bounds count (as TF does). So its gradient
          // does not belong to its own forward there. Avg pooling is linear, so the exact gradient of tfjs's
          // forward is sum(dY * (f(x + e_i) - f(x))) for unit steps e_i; compare with that instead.
          const base = values(tfPool(mode, c)(xt));
          const probe = tensor(x.shape);
          probe.data.set(x.data);
          const fromForward = new Float64Array(x.data.length);
          for (let i = 0; i < x.data.length; i++) {
            probe.data[i] = x.data[i] + 1;
            const pt = toTf(probe);
            const moved = values(tfPool(mode, c)(pt));
            pt.dispose();
            probe.data[i] = x.data[i];
            fromForward[i] = dot(
              Float64Array.from(moved, (v, j) => v - base[j]),
              dY.data,
            );
          }
          expect(compareArrays(dX.data, fromForward, F32_TOL)).toEqual([]);
          // ...and tfjs's own gradient really is different at the edges (if this starts failing, tfjs fixed it
          // and the direct comparison below can be used for every case).
          const tfjsGrad = values(tf.grad(tfPool(mode, c))(xt, toTf(dY)));
          expect(compareArrays(dX.data, tfjsGrad, F32_TOL)).not.toEqual([]);
        } else {
          const dXt = tf.grad(tfPool(mode, c))(xt, toTf(dY));
          expect(compareArrays(dX.data, values(dXt), F32_TOL)).toEqual([]);
        }
        xt.dispose();
      });
    }
  }
});
