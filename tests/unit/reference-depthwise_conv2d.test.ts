import { describe, expect, it } from 'vitest';
import { conv2dForward } from '../../src/reference/conv2d';
import { depthwiseConv2dBackward, depthwiseConv2dForward } from '../../src/reference/depthwise_conv2d';
import { type Padding, tensor } from '../../src/reference/tensor';
import { convGradientCheck, randomTensor, rng } from './gradcheck';

describe('depthwise_conv2d reference', () => {
  it('hand example: 2 channels, multiplier 2, output channel order ci * M + m', () => {
    // 1x2x2x2 input, 2x2 kernel 'valid': one output pixel per channel pair.
    const x = tensor([1, 2, 2, 2], [1, 10, 2, 20, 3, 30, 4, 40]);
    const k = tensor([2, 2, 2, 2]);
    // K[ky, kx, ci, m]: m = 0 sums the window, m = 1 takes the top-left tap only.
    for (let t = 0; t < 4; t++) for (let ci = 0; ci < 2; ci++) k.data[(t * 2 + ci) * 2] = 1;
    for (let ci = 0; ci < 2; ci++) k.data[ci * 2 + 1] = 1;
    const y = depthwiseConv2dForward(x, k, new Float64Array([0, 0, 0, 0.5]), {
      strides: [1, 1],
      padding: 'valid',
    });
    expect(y.shape).toEqual([1, 1, 1, 4]);
    expect([...y.data]).toEqual([10, 1, 100, 10.5]);
  });

  it('equals a full conv2d whose kernel is block-diagonal over channels', () => {
    const rand = rng(8);
    const [cin, mult] = [3, 2];
    const x = randomTensor([2, 6, 5, cin], rand);
    const k = randomTensor([3, 3, cin, mult], rand);
    const full = tensor([3, 3, cin, cin * mult]);
    for (let t = 0; t < 9; t++)
      for (let ci = 0; ci < cin; ci++)
        for (let m = 0; m < mult; m++)
          full.data[(t * cin + ci) * cin * mult + ci * mult + m] = k.data[(t * cin + ci) * mult + m];
    for (const padding of ['valid', 'same'] as Padding[]) {
      const opts = { strides: [2, 1] as [number, number], padding };
      const a = depthwiseConv2dForward(x, k, null, opts);
      const b = conv2dForward(x, full, null, opts);
      expect(a.shape).toEqual(b.shape);
      a.data.forEach((v, i) => {
        expect(v).toBeCloseTo(b.data[i], 12);
      });
    }
  });

  const cases: { x: number[]; k: number[]; s: [number, number]; padding: Padding }[] = [
    { x: [2, 5, 5, 3], k: [3, 3, 3, 1], s: [1, 1], padding: 'same' },
    { x: [1, 7, 6, 2], k: [3, 3, 2, 3], s: [2, 2], padding: 'same' },
    { x: [2, 6, 7, 2], k: [2, 4, 2, 2], s: [1, 2], padding: 'valid' },
    { x: [1, 8, 8, 4], k: [4, 4, 4, 1], s: [2, 2], padding: 'same' },
  ];
  for (const c of cases) {
    it(`finite differences: x [${c.x}] k [${c.k}] strides ${c.s} ${c.padding}`, () => {
      const rand = rng(c.x.concat(c.k).reduce((a, b) => a * 5 + b, 1));
      const { result: res } = convGradientCheck(
        { forward: depthwiseConv2dForward, backward: depthwiseConv2dBackward },
        { x: c.x, k: c.k, bias: c.k[2] * c.k[3] },
        { strides: c.s, padding: c.padding },
        rand,
      );
      expect(res.failures).toEqual([]);
      expect(res.checked).toBeGreaterThan(50);
    });
  }
});
