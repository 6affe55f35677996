// Keras initializers. Variance-scaling ones follow keras.initializers.VarianceScaling: fans from the kernel
// shape (receptive field x channels), 'normal' draws a truncated normal divided by its std (0.8796...).
import { memberOf } from './member-of';
import type { Rng } from './random';

export const INITIALIZERS = [
  'glorot_uniform',
  'glorot_normal',
  'he_uniform',
  'he_normal',
  'lecun_uniform',
  'lecun_normal',
  'zeros',
  'ones',
  'random_normal',
  'random_uniform',
] as const;
export type InitializerName = (typeof INITIALIZERS)[number];

export const isInitializer = memberOf(INITIALIZERS);

/** fan_in, fan_out of a kernel shape as Keras computes them ([kh, kw, in, out] or [in, out]). */
export function fans(shape: readonly number[]): [number, number] {
  if (shape.length < 1) return [1, 1];
  if (shape.length === 1) return [shape[0], shape[0]];
  if (shape.length === 2) return [shape[0], shape[1]];
  const receptive = shape.slice(0, -2).reduce((a, b) => a * b, 1);
  return [receptive * shape[shape.length - 2], receptive * shape[shape.length - 1]];
}

const TRUNC_STD = 0.87962566103423978;

/** The VarianceScaling initializers as Keras defines them: scale, which fan, which distribution. */
const VARIANCE_SCALING: Partial<
  Record<InitializerName, { scale: number; mode: 'fan_in' | 'fan_avg'; distribution: 'uniform' | 'normal' }>
> = {
  glorot_uniform: { scale: 1, mode: 'fan_avg', distribution: 'uniform' },
  glorot_normal: { scale: 1, mode: 'fan_avg', distribution: 'normal' },
  he_uniform: { scale: 2, mode: 'fan_in', distribution: 'uniform' },
  he_normal: { scale: 2, mode: 'fan_in', distribution: 'normal' },
  lecun_uniform: { scale: 1, mode: 'fan_in', distribution: 'uniform' },
  lecun_normal: { scale: 1, mode: 'fan_in', distribution: 'normal' },
};

export function initialize(name: InitializerName, shape: readonly number[], rng: Rng): Float32Array {
  const size = shape.reduce((a, b) => a * b, 1);
  const out = new Float32Array(size);
  const vs = VARIANCE_SCALING[name];
  if (vs) {
    const [fanIn, fanOut] = fans(shape);
    const variance = vs.scale / Math.max(1, vs.mode === 'fan_in' ? fanIn : (fanIn + fanOut) / 2);
    if (vs.distribution === 'uniform') {
      const limit = Math.sqrt(3 * variance);
      for (let i = 0; i < size; i++) out[i] = rng.uniform(-limit, limit);
    } else {
      const std = Math.sqrt(variance) / TRUNC_STD;
      for (let i = 0; i < size; i++) out[i] = rng.truncatedNormal() * std;
    }
  } else if (name === 'ones') out.fill(1);
  else if (name === 'random_normal') for (let i = 0; i < size; i++) out[i] = rng.normal() * 0.05;
  else if (name === 'random_uniform') for (let i = 0; i < size; i++) out[i] = rng.uniform(-0.05, 0.05);
  // 'zeros': the array as it was made.
  return out;
}
