import { describe, expect, it } from 'vitest';
import { activationForward } from '../../src/reference/activations';
import { crossEntropyFromProbs, softmaxCrossEntropy } from '../../src/reference/softmax_xent';
import { tensor } from '../../src/reference/tensor';
import { checkGradient, labelForms, randomTensor, rng } from './gradcheck';

describe('softmax cross-entropy reference', () => {
  it('computes a hand-worked example (sparse and one-hot agree)', () => {
    // Row 0: logits [0, 0], label 0: p = [.5, .5], loss ln 2. Row 1: logits [ln 3, 0], label 1: p = [.75, .25],
    // loss ln 4. Mean (ln 2 + ln 4) / 2; argmax hits row 0 (tie -> index 0) and misses row 1.
    const logits = tensor([2, 2], [0, 0, Math.log(3), 0]);
    const sparse = softmaxCrossEntropy(logits, new Int32Array([0, 1]));
    expect(sparse.lossSum).toBeCloseTo(Math.log(2) + Math.log(4), 14);
    expect(sparse.loss).toBeCloseTo((Math.log(2) + Math.log(4)) / 2, 14);
    expect(sparse.correct).toBe(1);
    const want = [(0.5 - 1) / 2, 0.5 / 2, 0.75 / 2, (0.25 - 1) / 2];
    sparse.dLogits.data.forEach((v, i) => {
      expect(v).toBeCloseTo(want[i], 14);
    });
    [0.5, 0.5, 0.75, 0.25].forEach((v, i) => {
      expect(sparse.probs.data[i]).toBeCloseTo(v, 14);
    });
    const onehot = softmaxCrossEntropy(logits, tensor([2, 2], [1, 0, 0, 1]));
    expect(onehot.loss).toBeCloseTo(sparse.loss, 14);
    expect(onehot.correct).toBe(1);
    onehot.dLogits.data.forEach((v, i) => {
      expect(v).toBeCloseTo(want[i], 14);
    });
  });

  it('is stable for huge logits', () => {
    const r = softmaxCrossEntropy(tensor([1, 3], [1000, -1000, 999]), new Int32Array([2]));
    expect(r.loss).toBeCloseTo(Math.log(1 + Math.exp(1)) + 0, 12); // lse - z = log(e^1 + 1 + e^-1999)
    expect(Number.isFinite(r.dLogits.data[1])).toBe(true);
  });

  it('rejects labels out of range', () => {
    expect(() => softmaxCrossEntropy(tensor([1, 3]), new Int32Array([3]))).toThrow(/label 3/);
  });

  const shapes: [number, number][] = [
    [1, 10],
    [4, 3],
    [5, 7],
  ];
  for (const [n, k] of shapes) {
    it(`dLogits match finite differences of the mean loss, [${n},${k}], sparse / one-hot / soft labels`, () => {
      const rand = rng(n * 100 + k);
      const logits = randomTensor([n, k], rand, -3, 3);
      const { sparse, onehot, soft } = labelForms(n, k, rand, randomTensor);
      // Unnormalised non-negative labels exercise the general gradient p * sum(y) - y.
      const unnormalised = randomTensor([n, k], rand, 0, 2);
      for (const labels of [sparse, onehot, soft, unnormalised]) {
        const analytic = softmaxCrossEntropy(logits, labels).dLogits;
        const f = ([z]: Float64Array[]) => softmaxCrossEntropy({ shape: [n, k], data: z }, labels).loss;
        const r = checkGradient(f, [logits.data], [analytic.data], { rtol: 1e-6, atol: 1e-9 });
        expect(r.failures).toEqual([]);
        expect(r.checked).toBe(n * k);
      }
    });
  }

  it('crossEntropyFromProbs agrees with the logits path and clips like Keras', () => {
    const logits = randomTensor([4, 5], rng(8), -2, 2);
    const labels = new Int32Array([0, 4, 2, 2]);
    const probs = activationForward('softmax', logits);
    expect(crossEntropyFromProbs(probs, labels)).toBeCloseTo(softmaxCrossEntropy(logits, labels).loss, 12);
    // p = 0 for the true class is clipped to 1e-7: loss -log(1e-7).
    expect(crossEntropyFromProbs(tensor([1, 2], [1, 0]), new Int32Array([1]))).toBeCloseTo(
      -Math.log(1e-7),
      10,
    );
  });
});
