// Reference activations (Keras 3 names and defaults), forward and backward (dX) in float64.
// Derivatives at kinks follow TensorFlow: relu' (0) = 0, relu6' is 1 only on (0, 6), leaky_relu' (0) = alpha.
// softmax is taken over the last axis, like keras.activations.softmax.
import { ACTIVATIONS, type ActivationName } from '../model/activations';
import { type Tensor, tensor } from './tensor';

// The names are the model's (one list for the layers, the kernels and this oracle).
export type { ActivationName };
export const ACTIVATION_NAMES: readonly ActivationName[] = ACTIVATIONS;

/** The alpha an activation uses when none is given: keras.activations.elu (1) and leaky_relu (0.2). */
export function defaultAlpha(name: ActivationName): number {
  return name === 'leaky_relu' ? 0.2 : 1;
}

// SELU constants from Klambauer et al. (2017), as in Keras.
export const SELU_ALPHA = 1.6732632423543772;
export const SELU_SCALE = 1.0507009873554805;

export function sigmoid(v: number): number {
  // Two branches so exp never overflows.
  if (v >= 0) return 1 / (1 + Math.exp(-v));
  const e = Math.exp(v);
  return e / (1 + e);
}

/** log(1 + e^v) without overflow for large v or loss of precision for very negative v. */
export function softplus(v: number): number {
  return v > 0 ? v + Math.log1p(Math.exp(-v)) : Math.log1p(Math.exp(v));
}

/**
 * erf to ~1e-15 in float64 (JavaScript has none). Uses the all-positive series
 * erf(x) = 2/sqrt(pi) e^{-x^2} sum_n 2^n x^{2n+1} / (1*3*...*(2n+1)), which has no cancellation;
 * beyond |x| = 6, erf is 1 to double precision.
 */
export function erf(v: number): number {
  const a = Math.abs(v);
  if (a >= 6) return Math.sign(v);
  let term = a;
  let sum = a;
  for (let n = 1; term > sum * 1e-17; n++) {
    term *= (2 * a * a) / (2 * n + 1);
    sum += term;
  }
  return Math.sign(v) * (2 / Math.sqrt(Math.PI)) * Math.exp(-a * a) * sum;
}

/** Keras 3's gelu default (approximate=False): x * Phi(x), Phi the standard normal CDF. */
function gelu(v: number): number {
  return 0.5 * v * (1 + erf(v / Math.SQRT2));
}

function scalarForward(name: ActivationName, v: number, alpha: number): number {
  switch (name) {
    case 'linear':
      return v;
    case 'relu':
      return Math.max(v, 0);
    case 'sigmoid':
      return sigmoid(v);
    case 'tanh':
      return Math.tanh(v);
    case 'elu':
      return v > 0 ? v : alpha * Math.expm1(v);
    case 'leaky_relu':
      return v > 0 ? v : alpha * v;
    case 'relu6':
      return Math.min(Math.max(v, 0), 6);
    case 'selu':
      return SELU_SCALE * (v > 0 ? v : SELU_ALPHA * Math.expm1(v));
    case 'softplus':
      return softplus(v);
    case 'swish':
      return v * sigmoid(v);
    case 'gelu':
      return gelu(v);
    case 'softmax':
      throw new Error('softmax is not elementwise');
  }
}

/** d activation / dx at x (with y = f(x) where that is cheaper). */
function scalarDerivative(name: ActivationName, v: number, y: number, alpha: number): number {
  switch (name) {
    case 'linear':
      return 1;
    case 'relu':
      return v > 0 ? 1 : 0;
    case 'sigmoid':
      return y * (1 - y);
    case 'tanh':
      return 1 - y * y;
    case 'elu':
      return v > 0 ? 1 : alpha * Math.exp(v);
    case 'leaky_relu':
      return v > 0 ? 1 : alpha;
    case 'relu6':
      return v > 0 && v < 6 ? 1 : 0;
    case 'selu':
      return v > 0 ? SELU_SCALE : SELU_SCALE * SELU_ALPHA * Math.exp(v);
    case 'softplus':
      return sigmoid(v);
    case 'swish': {
      const s = sigmoid(v);
      return s * (1 + v * (1 - s));
    }
    case 'gelu':
      // Phi(x) + x phi(x)
      return 0.5 * (1 + erf(v / Math.SQRT2)) + (v * Math.exp(-0.5 * v * v)) / Math.sqrt(2 * Math.PI);
    case 'softmax':
      throw new Error('softmax is not elementwise');
  }
}

function softmaxForward(x: Tensor): Tensor {
  const k = x.shape[x.shape.length - 1];
  const y = tensor(x.shape);
  for (let r = 0; r < x.data.length; r += k) {
    let max = Number.NEGATIVE_INFINITY;
    for (let j = 0; j < k; j++) max = Math.max(max, x.data[r + j]);
    let sum = 0;
    for (let j = 0; j < k; j++) {
      const e = Math.exp(x.data[r + j] - max);
      y.data[r + j] = e;
      sum += e;
    }
    for (let j = 0; j < k; j++) y.data[r + j] /= sum;
  }
  return y;
}

export function activationForward(name: ActivationName, x: Tensor, alpha?: number): Tensor {
  if (name === 'softmax') return softmaxForward(x);
  const a = alpha ?? defaultAlpha(name);
  const y = tensor(x.shape);
  for (let i = 0; i < x.data.length; i++) y.data[i] = scalarForward(name, x.data[i], a);
  return y;
}

export function activationBackward(
  name: ActivationName,
  x: Tensor,
  y: Tensor,
  dY: Tensor,
  alpha?: number,
): Tensor {
  if (x.data.length !== dY.data.length || x.data.length !== y.data.length) {
    throw new Error(
      `activation ${name}: x, y and dY sizes differ (${x.data.length}, ${y.data.length}, ${dY.data.length})`,
    );
  }
  const dX = tensor(x.shape);
  if (name === 'softmax') {
    // dX = y * (dY - sum_j dY_j y_j) along the last axis.
    const k = x.shape[x.shape.length - 1];
    for (let r = 0; r < x.data.length; r += k) {
      let dot = 0;
      for (let j = 0; j < k; j++) dot += dY.data[r + j] * y.data[r + j];
      for (let j = 0; j < k; j++) dX.data[r + j] = y.data[r + j] * (dY.data[r + j] - dot);
    }
    return dX;
  }
  const a = alpha ?? defaultAlpha(name);
  for (let i = 0; i < x.data.length; i++) {
    dX.data[i] = dY.data[i] * scalarDerivative(name, x.data[i], y.data[i], a);
  }
  return dX;
}
