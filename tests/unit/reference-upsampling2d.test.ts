import { describe, expect, it } from 'vitest';
import { tensor } from '../../src/reference/tensor';
import { upsampling2dBackward, upsampling2dForward } from '../../src/reference/upsampling2d';
import { inputGradientCheck, randomTensor, rng } from './gradcheck';

describe('upsampling2d reference (nearest)', () => {
  it('hand example: 1x2x2x1 by (2, 3) repeats each pixel as a 2x3 block; backward sums the block', () => {
    const x = tensor([1, 2, 2, 1], [1, 2, 3, 4]);
    const y = upsampling2dForward(x, [2, 3]);
    expect(y.shape).toEqual([1, 4, 6, 1]);
    expect([...y.data]).toEqual([1, 1, 1, 2, 2, 2, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4, 3, 3, 3, 4, 4, 4]);
    const dY = tensor(
      [1, 4, 6, 1],
      Array.from({ length: 24 }, (_, i) => i),
    );
    // Block of pixel (0, 0): rows 0-1, columns 0-2: 0+1+2+6+7+8.
    expect([...upsampling2dBackward(x, dY, [2, 3]).data]).toEqual([24, 42, 96, 114]);
  });

  it('finite differences on [2, 3, 2, 3] by (2, 2) and (1, 3)', () => {
    for (const size of [
      [2, 2],
      [1, 3],
    ] as [number, number][]) {
      const rand = rng(size[1]);
      const x = randomTensor([2, 3, 2, 3], rand);
      const R = randomTensor([2, 3 * size[0], 2 * size[1], 3], rand);
      const dX = upsampling2dBackward(x, R, size);
      const res = inputGradientCheck(x, R, (t) => upsampling2dForward(t, size), dX);
      expect(res.failures).toEqual([]);
      expect(res.checked).toBe(36);
    }
  });
});
