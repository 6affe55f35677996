// Shared set-up for the TensorFlow.js oracle tests: tfjs-core on the plain-JS CPU backend, float32.
// Inputs are rounded to float32 once (f32) so the reference and tfjs see exactly the same numbers; what
// remains is tfjs's float32 arithmetic, hence tolerances around 1e-4 relative.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
// tfjs-core's entry point does not register gradients; tfjs-layers / the union package normally do.
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import type { Tensor } from '../../src/reference/tensor';
import { randomTensor } from './gradcheck';

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
