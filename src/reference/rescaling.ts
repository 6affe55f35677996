// Reference per-channel affine maps over the last axis, float64: Rescaling (y = x * scale + offset, scalars) and
// Normalization (y = (x - mean) / max(sqrt(variance), 1e-7), per channel, as Keras 3 computes it).
import { type Tensor, tensor } from './tensor';

/** Keras's backend.epsilon(): the floor of Normalization's standard deviation. */
export const KERAS_EPSILON = 1e-7;

/** y = x * scale[c] + offset[c]; dX = dY * scale[c]. Scalars broadcast. */
export function affineForward(x: Tensor, scale: ArrayLike<number>, offset: ArrayLike<number>): Tensor {
  const c = x.shape[x.shape.length - 1];
  const y = tensor(x.shape);
  for (let i = 0; i < x.data.length; i++) {
    const k = i % c;
    y.data[i] = x.data[i] * scale[scale.length === 1 ? 0 : k] + offset[offset.length === 1 ? 0 : k];
  }
  return y;
}

export function affineBackward(dY: Tensor, scale: ArrayLike<number>): Tensor {
  return affineForward(dY, scale, [0]);
}

/** Normalization's scale and offset: 1 / max(sqrt(var), eps) and -mean * scale. */
export function normalizationAffine(mean: ArrayLike<number>, variance: ArrayLike<number>) {
  const scale = Array.from(variance, (v) => 1 / Math.max(Math.sqrt(v), KERAS_EPSILON));
  const offset = Array.from(mean, (m, k) => -m * scale[variance.length === 1 ? 0 : k]);
  return { scale, offset };
}
