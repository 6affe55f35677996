// Float64 reference of the per-unit losses of shaders/losses.wgsl: binary cross-entropy from logits (the sigmoid
// fused, TensorFlow's sigmoid_cross_entropy_with_logits) and mean squared error, with targets made from sparse
// labels (one unit: the label itself; U units: its one-hot row), and the accuracy Keras reports for each.
import { type Tensor, tensor } from './tensor';

export interface PointwiseLossResult {
  /** Mean over valid rows of the per-row loss (itself the mean over units). */
  loss: number;
  lossSum: number;
  /** Summed per-row accuracy (a fraction of units for multi-unit binary accuracy). */
  correct: number;
  count: number;
  /** [batch, 2] = [1 - p, p] for one unit, else [batch, units]. */
  probs: Tensor;
  /** d mean loss / d outputs (logits for BCE). */
  dOutputs: Tensor;
}

export function oneHot(labels: Int32Array, classes: number): Tensor {
  const t = tensor([labels.length, classes]);
  labels.forEach((l, r) => {
    if (l >= 0 && l < classes) t.data[r * classes + l] = 1;
  });
  return t;
}

export function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

export function pointwiseLoss(
  kind: 'binary_crossentropy' | 'mean_squared_error',
  outputs: Tensor,
  labels: Int32Array,
): PointwiseLossResult {
  const [batch, units] = outputs.shape;
  const cols = units === 1 ? 2 : units;
  const valid = (l: number) => l >= 0 && l < cols;
  const nValid = Math.max(1, Array.from(labels).filter(valid).length);
  const probs = tensor([batch, cols]);
  const dOutputs = tensor([batch, units]);
  let lossSum = 0;
  let correct = 0;
  let count = 0;
  for (let r = 0; r < batch; r++) {
    const l = labels[r];
    const ok = valid(l);
    let loss = 0;
    let hits = 0;
    let best = 0;
    for (let k = 0; k < units; k++) {
      const z = outputs.data[r * units + k];
      if (z > outputs.data[r * units + best]) best = k;
      const t = units === 1 ? l : k === l ? 1 : 0;
      let p = z;
      let g: number;
      if (kind === 'binary_crossentropy') {
        p = sigmoid(z);
        loss += Math.max(z, 0) - z * t + Math.log1p(Math.exp(-Math.abs(z)));
        g = p - t;
      } else {
        loss += (z - t) ** 2;
        g = 2 * (z - t);
      }
      if ((p > 0.5 ? 1 : 0) === t) hits++;
      if (units === 1) {
        probs.data[r * 2] = 1 - p;
        probs.data[r * 2 + 1] = p;
      } else probs.data[r * units + k] = p;
      dOutputs.data[r * units + k] = ok ? g / (units * nValid) : 0;
    }
    if (!ok) continue;
    lossSum += loss / units;
    correct += kind === 'mean_squared_error' && units > 1 ? (best === l ? 1 : 0) : hits / units;
    count++;
  }
  return { loss: lossSum / Math.max(1, count), lossSum, correct, count, probs, dOutputs };
}
