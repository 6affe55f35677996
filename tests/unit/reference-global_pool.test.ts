import { describe, expect, it } from 'vitest';
import { globalPoolBackward, globalPoolForward } from '../../src/reference/global_pool';
import { tensor } from '../../src/reference/tensor';
import { inputGradientCheck, randomTensor, rng } from './gradcheck';

describe('global pooling reference', () => {
  it('hand example: mean and max per channel; max ties split the gradient evenly (TensorFlow reduce_max)', () => {
    // 1x2x2x2: channel 0 = 1, 4, 4, 2 (tie at the max), channel 1 = -1, -2, -3, -4.
    const x = tensor([1, 2, 2, 2], [1, -1, 4, -2, 4, -3, 2, -4]);
    expect([...globalPoolForward(x, 'avg').data]).toEqual([2.75, -2.5]);
    expect([...globalPoolForward(x, 'max').data]).toEqual([4, -1]);
    const dX = globalPoolBackward(x, tensor([1, 2], [6, 3]), 'max');
    expect([...dX.data]).toEqual([0, 3, 3, 0, 3, 0, 0, 0]);
    expect([...globalPoolBackward(x, tensor([1, 2], [8, 4]), 'avg').data]).toEqual([2, 1, 2, 1, 2, 1, 2, 1]);
  });

  for (const mode of ['avg', 'max'] as const) {
    it(`${mode}: finite differences on [2, 3, 4, 5]`, () => {
      const rand = rng(mode === 'max' ? 3 : 4);
      const x = randomTensor([2, 3, 4, 5], rand);
      const R = randomTensor([2, 5], rand);
      const dX = globalPoolBackward(x, R, mode);
      const res = inputGradientCheck(x, R, (t) => globalPoolForward(t, mode), dX);
      expect(res.failures).toEqual([]);
      expect(res.checked).toBe(120);
    });
  }
});
