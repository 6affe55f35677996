// Keras initializers. Variance-scaling ones follow keras.initializers.VarianceScaling: fans from the kernel
// shape (receptive field x channels), 'normal' draws a truncated normal divided by its std (0.8796...).
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

export function isInitializer(name: string): name is InitializerName {
  return (INITIALIZERS as readonly string[]).includes(name);
}

/** fan_in, fan_out of a kernel shape as Keras computes them ([kh, kw, in, out] or [in, out]). */
export function fans(shape: readonly number[]): [number, number] {
  if (shape.length < 1) return [1, 1];
  if (shape.length === 1) return [shape[0], shape[0]];
  if (shape.length === 2) return [shape[0], shape[1]];
  const receptive = shape.slice(0, -2).reduce((a, b) => a * b, 1);
  return [receptive * shape[shape.length - 2], receptive * shape[shape.length - 1]];
}

const TRUNC_STD = 0.87962566103423978;

export function initialize(name: InitializerName, shape: readonly number[], rng: Rng): Float32Array {
  const size = shape.reduce((a, b) => a * b, 1);
  const out = new Float32Array(size);
  const [fanIn, fanOut] = fans(shape);
  const scaled = (scale: number, fan: number, dist: 'uniform' | 'normal') => {
    const variance = scale / Math.max(1, fan);
    if (dist === 'uniform') {
      const limit = Math.sqrt(3 * variance);
      for (let i = 0; i < size; i++) out[i] = rng.uniform(-limit, limit);
    } else {
      const std = Math.sqrt(variance) / TRUNC_STD;
      for (let i = 0; i < size; i++) out[i] = rng.truncatedNormal() * std;
    }
  };
  switch (name) {
    case 'zeros':
      break;
    case 'ones':
      out.fill(1);
      break;
    case 'glorot_uniform':
      scaled(1, (fanIn + fanOut) / 2, 'uniform');
      break;
    case 'glorot_normal':
      scaled(1, (fanIn + fanOut) / 2, 'normal');
      break;
    case 'he_uniform':
      scaled(2, fanIn, 'uniform');
      break;
    case 'he_normal':
      scaled(2, fanIn, 'normal');
      break;
    case 'lecun_uniform':
      scaled(1, fanIn, 'uniform');
      break;
    case 'lecun_normal':
      scaled(1, fanIn, 'normal');
      break;
    case 'random_normal':
      for (let i = 0; i < size; i++) out[i] = rng.normal() * 0.05;
      break;
    case 'random_uniform':
      for (let i = 0; i < size; i++) out[i] = rng.uniform(-0.05, 0.05);
      break;
  }
  return out;
}
