// Reference BatchNormalization over the last axis (Keras axis=-1), float64. The tensor is read as rows of C
// channels: [batch, ...spatial, C] has batch * prod(spatial) rows. Training normalises with the batch mean and
// the biased batch variance of the first `validRows` samples (the rest are padding of a partial batch and take
// no part: they get no gradient); Keras 3 updates the moving statistics with that same biased variance:
//   moving = moving * momentum + batch * (1 - momentum).
//   y = gamma * (x - mean) / sqrt(var + eps) + beta
//   dX = gamma / sqrt(var + eps) * (dY - mean(dY) - xhat * mean(dY * xhat)), means over the valid rows
//   dGamma = sum dY * xhat, dBeta = sum dY.
import { type Tensor, tensor } from './tensor';

export interface BatchNormOptions {
  epsilon: number;
  /** null when scale=False (gamma is 1) / center=False (beta is 0). */
  gamma: Float64Array | null;
  beta: Float64Array | null;
  /** Samples (first-axis entries) that hold data; the default is all of them. */
  validRows?: number;
}

export interface BatchNormTrain {
  y: Tensor;
  mean: Float64Array;
  /** Biased variance (divided by the number of valid rows). */
  variance: Float64Array;
}

function layout(x: Tensor, validRows?: number) {
  const c = x.shape[x.shape.length - 1];
  const perSample = x.data.length / (x.shape[0] * c);
  const samples = validRows ?? x.shape[0];
  if (samples < 1 || samples > x.shape[0]) {
    throw new Error(`batchnorm: validRows ${samples} must be in 1..${x.shape[0]}`);
  }
  return { c, rows: samples * perSample };
}

export function batchnormStats(
  x: Tensor,
  validRows?: number,
): { mean: Float64Array; variance: Float64Array } {
  const { c, rows } = layout(x, validRows);
  const mean = new Float64Array(c);
  const variance = new Float64Array(c);
  for (let r = 0; r < rows; r++) for (let k = 0; k < c; k++) mean[k] += x.data[r * c + k];
  for (let k = 0; k < c; k++) mean[k] /= rows;
  for (let r = 0; r < rows; r++) {
    for (let k = 0; k < c; k++) variance[k] += (x.data[r * c + k] - mean[k]) ** 2;
  }
  for (let k = 0; k < c; k++) variance[k] /= rows;
  return { mean, variance };
}

/** y = gamma * (x - mean) / sqrt(variance + eps) + beta over every row (padding rows too). */
export function batchnormApply(
  x: Tensor,
  mean: Float64Array,
  variance: Float64Array,
  opts: BatchNormOptions,
): Tensor {
  const c = x.shape[x.shape.length - 1];
  const y = tensor(x.shape);
  for (let i = 0; i < x.data.length; i++) {
    const k = i % c;
    const xhat = (x.data[i] - mean[k]) / Math.sqrt(variance[k] + opts.epsilon);
    y.data[i] = xhat * (opts.gamma ? opts.gamma[k] : 1) + (opts.beta ? opts.beta[k] : 0);
  }
  return y;
}

export function batchnormTrainForward(x: Tensor, opts: BatchNormOptions): BatchNormTrain {
  const { mean, variance } = batchnormStats(x, opts.validRows);
  return { y: batchnormApply(x, mean, variance, opts), mean, variance };
}

/** The moving statistics after one training step (Keras 3: biased batch variance). */
export function movingUpdate(moving: Float64Array, batch: Float64Array, momentum: number): Float64Array {
  return moving.map((m, k) => m * momentum + batch[k] * (1 - momentum));
}

export function batchnormBackward(
  x: Tensor,
  dY: Tensor,
  opts: BatchNormOptions,
): { dX: Tensor; dGamma: Float64Array; dBeta: Float64Array } {
  const { c, rows } = layout(x, opts.validRows);
  const { mean, variance } = batchnormStats(x, opts.validRows);
  const invStd = variance.map((v) => 1 / Math.sqrt(v + opts.epsilon));
  const dGamma = new Float64Array(c);
  const dBeta = new Float64Array(c);
  for (let r = 0; r < rows; r++) {
    for (let k = 0; k < c; k++) {
      const i = r * c + k;
      dBeta[k] += dY.data[i];
      dGamma[k] += dY.data[i] * (x.data[i] - mean[k]) * invStd[k];
    }
  }
  const dX = tensor(x.shape);
  for (let r = 0; r < rows; r++) {
    for (let k = 0; k < c; k++) {
      const i = r * c + k;
      const xhat = (x.data[i] - mean[k]) * invStd[k];
      const g = opts.gamma ? opts.gamma[k] : 1;
      dX.data[i] = g * invStd[k] * (dY.data[i] - dBeta[k] / rows - (xhat * dGamma[k]) / rows);
    }
  }
  return { dX, dGamma, dBeta };
}
