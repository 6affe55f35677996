import { describe, expect, it } from 'vitest';
import { oneHot, pointwiseLoss } from '../../src/reference/losses';
import { softmaxCrossEntropy } from '../../src/reference/softmax_xent';
import { tensor } from '../../src/reference/tensor';
import { checkGradient, randomTensor, rng } from './gradcheck';

describe('per-unit loss references', () => {
  it('binary cross-entropy: hand-worked values, binary accuracy at 0.5, [1 - p, p] scores', () => {
    // z = 0 (p = .5, label 1): loss ln 2, p > .5 is false, so a miss. z = ln 3 (p = .75, label 0): loss ln 4,
    // a miss. z = -ln 3 (p = .25, label 0): loss ln(4/3), a hit. Padding row -1 is ignored.
    const z = tensor([4, 1], [0, Math.log(3), -Math.log(3), 5]);
    const r = pointwiseLoss('binary_crossentropy', z, new Int32Array([1, 0, 0, -1]));
    expect(r.count).toBe(3);
    expect(r.lossSum).toBeCloseTo(Math.log(2) + Math.log(4) + Math.log(4 / 3), 12);
    expect(r.correct).toBe(1);
    expect(Array.from(r.probs.data.slice(0, 4))).toEqual(
      [0.5, 0.5, 0.25, 0.75].map((v) => expect.closeTo(v, 12)),
    );
    expect(r.dOutputs.data[0]).toBeCloseTo((0.5 - 1) / 3, 12);
    expect(r.dOutputs.data[3]).toBe(0);
  });

  it('binary cross-entropy stays finite for huge logits', () => {
    const r = pointwiseLoss('binary_crossentropy', tensor([2, 1], [1000, -1000]), new Int32Array([0, 1]));
    expect(r.lossSum).toBeCloseTo(2000, 6);
    expect(r.dOutputs.data.every(Number.isFinite)).toBe(true);
  });

  it('mean squared error against one-hot rows, argmax accuracy', () => {
    const y = tensor([2, 3], [0.2, 0.7, 0.1, 1, 0, 0]);
    const r = pointwiseLoss('mean_squared_error', y, new Int32Array([1, 2]));
    expect(r.lossSum).toBeCloseTo((0.04 + 0.09 + 0.01) / 3 + (1 + 0 + 1) / 3, 12);
    expect(r.correct).toBe(1);
    expect(r.dOutputs.data[1]).toBeCloseTo((2 * (0.7 - 1)) / (3 * 2), 12);
  });

  for (const kind of ['binary_crossentropy', 'mean_squared_error'] as const) {
    for (const units of [1, 4]) {
      it(`${kind}, ${units} unit(s): gradient matches finite differences`, () => {
        const rand = rng(units * 31 + kind.length);
        const z = randomTensor([5, units], rand, -3, 3);
        const labels = Int32Array.from({ length: 5 }, (_, i) =>
          i === 4 ? -1 : i % (units === 1 ? 2 : units),
        );
        const res = checkGradient(
          () => pointwiseLoss(kind, z, labels).loss,
          [z.data],
          [pointwiseLoss(kind, z, labels).dOutputs.data],
        );
        expect(res.failures).toEqual([]);
      });
    }
  }

  it('one-hot rows give the same categorical cross-entropy as the sparse labels', () => {
    const labels = new Int32Array([2, 0, -1]);
    const h = oneHot(labels, 3);
    expect(Array.from(h.data)).toEqual([0, 0, 1, 1, 0, 0, 0, 0, 0]);
    const z = randomTensor([3, 3], rng(3));
    const dense = softmaxCrossEntropy(z, h);
    const sparse = softmaxCrossEntropy({ shape: [2, 3], data: z.data.slice(0, 6) }, new Int32Array([2, 0]));
    expect(dense.lossSum).toBeCloseTo(sparse.lossSum, 12);
  });
});
