// Reference fused softmax + categorical cross-entropy over logits [N, K], numerically stable:
//   log p_k = z_k - lse(z),  lse(z) = m + log sum_j exp(z_j - m),  m = max_j z_j
//   loss_n  = sum_k y_k (lse - z_k),  loss = mean over n (Keras's default 'sum_over_batch_size')
//   d loss / d z_k = (p_k * sum_j y_j - y_k) / N, which is (p - y) / N for one-hot or soft labels whose
//   rows sum to 1 (the contract); the general form keeps the finite-difference check exact for any y.
// Labels: an Int32Array of class indices (sparse_categorical_crossentropy) or a [N, K] tensor
// (categorical_crossentropy). `correct` counts rows where argmax(logits) equals the label (argmax of the
// label row for tensors); ties resolve to the first index, like tf.argmax.
import { type Tensor, tensor } from './tensor';

export interface SoftmaxXentResult {
  loss: number;
  lossSum: number;
  correct: number;
  probs: Tensor;
  dLogits: Tensor;
}

export function argmaxRow(data: Float64Array, offset: number, k: number): number {
  let best = 0;
  for (let j = 1; j < k; j++) if (data[offset + j] > data[offset + best]) best = j;
  return best;
}

export function softmaxCrossEntropy(logits: Tensor, labels: Int32Array | Tensor): SoftmaxXentResult {
  if (logits.shape.length !== 2) throw new Error(`softmax_xent: logits must be [N,K], got [${logits.shape}]`);
  const [n, k] = logits.shape;
  const sparse = labels instanceof Int32Array;
  if (sparse && labels.length !== n) throw new Error(`softmax_xent: ${labels.length} labels for ${n} rows`);
  if (!sparse && labels.shape.join() !== [n, k].join()) {
    throw new Error(`softmax_xent: labels must be [${n},${k}], got [${labels.shape}]`);
  }
  const probs = tensor([n, k]);
  const dLogits = tensor([n, k]);
  const z = logits.data;
  let lossSum = 0;
  let correct = 0;
  for (let r = 0; r < n; r++) {
    const o = r * k;
    let max = Number.NEGATIVE_INFINITY;
    for (let j = 0; j < k; j++) max = Math.max(max, z[o + j]);
    let sum = 0;
    for (let j = 0; j < k; j++) sum += Math.exp(z[o + j] - max);
    const lse = max + Math.log(sum);
    for (let j = 0; j < k; j++) probs.data[o + j] = Math.exp(z[o + j] - lse);
    const predicted = argmaxRow(z, o, k);
    if (sparse) {
      const label = labels[r];
      if (!(label >= 0 && label < k))
        throw new Error(`softmax_xent: label ${label} of row ${r} is not in [0, ${k})`);
      lossSum += lse - z[o + label];
      for (let j = 0; j < k; j++) dLogits.data[o + j] = (probs.data[o + j] - (j === label ? 1 : 0)) / n;
      if (predicted === label) correct++;
    } else {
      const y = labels.data;
      let ySum = 0;
      for (let j = 0; j < k; j++) {
        ySum += y[o + j];
        // Skip zero labels so a -inf logit with label 0 does not give 0 * inf = NaN.
        if (y[o + j] !== 0) lossSum += y[o + j] * (lse - z[o + j]);
      }
      for (let j = 0; j < k; j++) dLogits.data[o + j] = (probs.data[o + j] * ySum - y[o + j]) / n;
      if (predicted === argmaxRow(y, o, k)) correct++;
    }
  }
  return { loss: lossSum / n, lossSum, correct, probs, dLogits };
}

/**
 * Keras's categorical_crossentropy on probabilities (from_logits=False): rows are renormalised to sum to 1,
 * clipped to [eps, 1 - eps] with Keras's epsilon 1e-7, and the loss is the batch mean of -sum y log p.
 */
export function crossEntropyFromProbs(probs: Tensor, labels: Int32Array | Tensor, epsilon = 1e-7): number {
  const [n, k] = probs.shape;
  let total = 0;
  for (let r = 0; r < n; r++) {
    const o = r * k;
    let rowSum = 0;
    for (let j = 0; j < k; j++) rowSum += probs.data[o + j];
    for (let j = 0; j < k; j++) {
      const y = labels instanceof Int32Array ? (labels[r] === j ? 1 : 0) : labels.data[o + j];
      if (y === 0) continue;
      const p = Math.min(Math.max(probs.data[o + j] / rowSum, epsilon), 1 - epsilon);
      total -= y * Math.log(p);
    }
  }
  return total / n;
}
