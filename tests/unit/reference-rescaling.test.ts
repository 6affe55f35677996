import { describe, expect, it } from 'vitest';
import * as rescaling from '../../src/reference/rescaling';
import { tensor } from '../../src/reference/tensor';
import { inputGradientCheck, randomTensor, rng } from './gradcheck';

describe('rescaling / normalization reference', () => {
  it('Rescaling(1/255): 255 -> 1, offset shifts; Normalization divides by the standard deviation', () => {
    const x = tensor([1, 3], [0, 127.5, 255]);
    expect([...rescaling.affineForward(x, [1 / 255], [0]).data]).toEqual([0, 0.5, 1]);
    expect([...rescaling.affineForward(x, [1 / 127.5], [-1]).data]).toEqual([-1, 0, 1]);
    const { scale, offset } = rescaling.normalizationAffine([1, 2, 3], [4, 0.25, 0]);
    const y = rescaling.affineForward(tensor([1, 3], [5, 3, 3]), scale, offset);
    expect([...y.data]).toEqual([2, 2, 0]); // (5-1)/2, (3-2)/0.5, zero variance: (3-3)/1e-7
    expect(scale[2]).toBe(1 / rescaling.KERAS_EPSILON);
  });

  it('finite differences: per-channel affine on [2, 3, 4]', () => {
    const rand = rng(12);
    const x = randomTensor([2, 3, 4], rand);
    const { scale, offset } = rescaling.normalizationAffine([0.5, -1, 2, 0], [2, 0.5, 1, 3]);
    const R = randomTensor(x.shape, rand);
    const dX = rescaling.affineBackward(R, scale);
    const res = inputGradientCheck(x, R, (t) => rescaling.affineForward(t, scale, offset), dX);
    expect(res.failures).toEqual([]);
    expect(res.checked).toBe(24);
  });
});
