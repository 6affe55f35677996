// Shared set-up for the TensorFlow.js oracle tests: tfjs-core on the plain-JS CPU backend, float32.
// Inputs are rounded to float32 once (f32) so the reference and tfjs see exactly the same numbers; what
// remains is tfjs's float32 arithmetic, hence tolerances around 1e-4 relative.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
// tfjs-core's entry point does not register gradients; tfjs-layers / the union package normally do.
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { describe, expect, it } from 'vitest';
import type { Padding, Tensor } from '../../src/reference/tensor';
import { compareArrays, randomTensor, rng } from './gradcheck';

export { tf };

export async function useCpuBackend(): Promise<void> {
  await tf.setBackend('cpu');
  await tf.ready();
}

/** Rounds every value to float32 in place and returns the tensor. */
export function f32(t: Tensor): Tensor {
  for (let i = 0; i < t.data.length; i++) t.data[i] = Math.fround(t.data[i]);
  return t;
}

export function randomF32(shape: number[], rand: () => number, lo = -1, hi = 1): Tensor {
  return f32(randomTensor(shape, rand, lo, hi));
}

export function toTf(t: Tensor): tf.Tensor {
  return tf.tensor(Float32Array.from(t.data), t.shape, 'float32');
}

export function toTf1d(a: Float64Array): tf.Tensor1D {
  return tf.tensor1d(Float32Array.from(a), 'float32');
}

/** Reads a tfjs tensor's values (and disposes it). */
export function values(t: tf.Tensor): Float32Array {
  const v = t.dataSync() as Float32Array;
  t.dispose();
  return v;
}

/** float32-vs-float64 tolerance: a few float32 ulps of the largest terms summed. */
export const F32_TOL = { rtol: 1e-4, atol: 1e-5 };

export interface ConvCase {
  x: number[];
  k: number[];
  stride: number;
  padding: Padding;
}

type ConvOpts = { strides: [number, number]; padding: Padding };

/** A convolution of the reference, its TF.js counterpart and how the case picks its seed and bias length. */
export interface ConvOracle {
  /** Mixes the case's shapes into its seed: rng(x ++ k reduced by a * seedMul + b, from the stride). */
  seedMul: number;
  biasLength: (k: number[]) => number;
  forward: (x: Tensor, k: Tensor, bias: Float64Array, opts: ConvOpts) => Tensor;
  backward: (
    x: Tensor,
    k: Tensor,
    dY: Tensor,
    opts: ConvOpts,
  ) => { dX: Tensor; dKernel: Tensor; dBias: Float64Array };
  /** TF.js's op without the bias; y is the reference output (conv2dTranspose needs its shape). */
  tfOp: (xt: tf.Tensor4D, kt: tf.Tensor4D, c: ConvCase, y: Tensor) => tf.Tensor;
}

/**
 * One test per case: the reference's values and gradients (x, kernel, bias) for a random dY against
 * tf.grads of TF.js's op plus the bias, within F32_TOL.
 */
export function describeConvOracle(name: string, cases: ConvCase[], op: ConvOracle): void {
  describe(`${name} reference vs TensorFlow.js`, () => {
    for (const c of cases) {
      it(`x [${c.x}] k [${c.k}] stride ${c.stride} ${c.padding}: values and grads (x, kernel, bias)`, () => {
        const rand = rng(c.x.concat(c.k).reduce((a, b) => a * op.seedMul + b, c.stride));
        const x = randomF32(c.x, rand);
        const k = randomF32(c.k, rand);
        const bias = randomF32([op.biasLength(c.k)], rand).data;
        const opts: ConvOpts = { strides: [c.stride, c.stride], padding: c.padding };
        const y = op.forward(x, k, bias, opts);
        const dY = randomF32(y.shape, rand);
        const ours = op.backward(x, k, dY, opts);
        const f = (xt: tf.Tensor, kt: tf.Tensor, bt: tf.Tensor) =>
          tf.add(op.tfOp(xt as tf.Tensor4D, kt as tf.Tensor4D, c, y), bt);
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
}
