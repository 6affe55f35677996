// Initial weights for a built model, Keras layout and Keras names (`conv2d/kernel`), from a seed.
import { initialize } from './initializers';
import { Rng } from './random';
import type { BuiltModel } from './sequential';

export interface NamedWeight {
  /** Keras weight name: `${layer}/${param}`, e.g. 'conv2d/kernel'. */
  name: string;
  shape: number[];
  data: Float32Array;
}

export function initialWeights(model: BuiltModel, seed = 42): NamedWeight[] {
  const rng = new Rng(seed);
  const out: NamedWeight[] = [];
  for (const l of model.layers) {
    for (const p of l.params) {
      out.push({
        name: `${l.layer.config.name}/${p.name}`,
        shape: [...p.shape],
        data: initialize(p.initializer, p.shape, rng),
      });
    }
  }
  return out;
}

/**
 * A Keras conv kernel [kh, kw, in, out] in the [out, in, kh, kw] layout of ONNX and jax-js. A depthwise kernel
 * [kh, kw, c, m] given as shape [kh, kw, 1, c*m] comes out as the grouped [c*m, 1, kh, kw].
 */
export function kernelToOihw(w: { shape: readonly number[]; data: Float32Array }): Float32Array {
  const [kh, kw, ci, co] = w.shape;
  const out = new Float32Array(w.data.length);
  for (let y = 0; y < kh; y++)
    for (let x = 0; x < kw; x++)
      for (let i = 0; i < ci; i++)
        for (let o = 0; o < co; o++)
          out[((o * ci + i) * kh + y) * kw + x] = w.data[((y * kw + x) * ci + i) * co + o];
  return out;
}
