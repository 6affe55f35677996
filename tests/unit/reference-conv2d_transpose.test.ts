import { describe, expect, it } from 'vitest';
import { conv2dBackward } from '../../src/reference/conv2d';
import * as convT from '../../src/reference/conv2d_transpose';
import { type Padding, tensor } from '../../src/reference/tensor';
import { convGradientCheck, randomTensor, rng } from './gradcheck';

describe('conv2d_transpose reference', () => {
  it("hand example: 2x2 input, 3x3 ones kernel, stride 2 'valid' -> 5x5 with overlaps summed", () => {
    const x = tensor([1, 2, 2, 1], [1, 2, 3, 4]);
    const k = tensor([3, 3, 1, 1], new Array(9).fill(1));
    const y = convT.conv2dTransposeForward(x, k, null, { strides: [2, 2], padding: 'valid' });
    expect(y.shape).toEqual([1, 5, 5, 1]);
    expect([...y.data]).toEqual([1, 1, 3, 2, 2, 1, 1, 3, 2, 2, 4, 4, 10, 6, 6, 3, 3, 7, 4, 4, 3, 3, 7, 4, 4]);
    expect(convT.transposeOutSize(4, 3, 2, 'same')).toBe(8);
    expect(convT.transposeOutSize(4, 1, 2, 'valid')).toBe(8);
  });

  it('is the input gradient of the matching Conv2D (kernel [kh, kw, out, in] read as a conv kernel)', () => {
    const rand = rng(21);
    for (const padding of ['valid', 'same'] as Padding[]) {
      const x = randomTensor([2, 3, 4, 3], rand);
      const k = randomTensor([3, 2, 5, 3], rand); // out 5, in 3
      const opts = { strides: [2, 2] as [number, number], padding };
      const y = convT.conv2dTransposeForward(x, k, null, opts);
      // A conv from y's shape (5 channels) to x's shape (3 channels) with the same kernel: its dX for dY = x.
      const conv = conv2dBackward(tensor(y.shape), k, x, opts);
      y.data.forEach((v, i) => {
        expect(v).toBeCloseTo(conv.dX.data[i], 12);
      });
    }
  });

  const cases: { x: number[]; k: number[]; s: [number, number]; padding: Padding }[] = [
    { x: [2, 3, 3, 2], k: [3, 3, 4, 2], s: [2, 2], padding: 'same' },
    { x: [1, 3, 4, 3], k: [3, 3, 2, 3], s: [2, 2], padding: 'valid' },
    { x: [2, 4, 3, 2], k: [2, 3, 3, 2], s: [1, 2], padding: 'same' },
    { x: [1, 3, 3, 2], k: [4, 4, 2, 2], s: [2, 2], padding: 'same' },
    { x: [1, 4, 4, 1], k: [1, 1, 2, 1], s: [3, 3], padding: 'valid' }, // kernel < stride: gaps
  ];
  for (const c of cases) {
    it(`finite differences: x [${c.x}] k [${c.k}] strides ${c.s} ${c.padding}`, () => {
      const rand = rng(c.x.concat(c.k).reduce((a, b) => a * 3 + b, 7));
      const { result: res } = convGradientCheck(
        { forward: convT.conv2dTransposeForward, backward: convT.conv2dTransposeBackward },
        { x: c.x, k: c.k, bias: c.k[2] },
        { strides: c.s, padding: c.padding },
        rand,
      );
      expect(res.failures).toEqual([]);
      expect(res.checked).toBeGreaterThan(10);
    });
  }
});
