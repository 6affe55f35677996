import { describe, expect, it } from 'vitest';
import { type Conv2dOptions, conv2dBackward, conv2dForward } from '../../src/reference/conv2d';
import { type Padding, type Tensor, tensor } from '../../src/reference/tensor';
import { convGradientCheck, randomTensor, rng } from './gradcheck';

interface Case {
  name: string;
  x: number[]; // [N,H,W,Cin]
  k: number[]; // [kh,kw,Cin,Cout]
  strides: [number, number];
  padding: Padding;
  out: [number, number]; // expected output H, W, from TF's formula worked by hand
}

const cases: Case[] = [
  {
    name: '7x5 valid 3x3 s1, Cin 3 Cout 5',
    x: [2, 7, 5, 3],
    k: [3, 3, 3, 5],
    strides: [1, 1],
    padding: 'valid',
    out: [5, 3],
  },
  {
    name: '7x5 same 3x3 s2, batch 1',
    x: [1, 7, 5, 3],
    k: [3, 3, 3, 2],
    strides: [2, 2],
    padding: 'same',
    out: [4, 3],
  },
  {
    name: '6x6 same 4x4 s2 (asymmetric pad)',
    x: [1, 6, 6, 2],
    k: [4, 4, 2, 3],
    strides: [2, 2],
    padding: 'same',
    out: [3, 3],
  },
  {
    name: '1x1 kernel, Cin 5 Cout 3',
    x: [2, 4, 3, 5],
    k: [1, 1, 5, 3],
    strides: [1, 1],
    padding: 'valid',
    out: [4, 3],
  },
  {
    name: '5x3 kernel, strides (2,1), same',
    x: [1, 7, 6, 1],
    k: [5, 3, 1, 4],
    strides: [2, 1],
    padding: 'same',
    out: [4, 6],
  },
  {
    name: '8x8 valid 5x5 s2 (kernel > stride)',
    x: [1, 8, 8, 3],
    k: [5, 5, 3, 2],
    strides: [2, 2],
    padding: 'valid',
    out: [2, 2],
  },
];

/** Zero-pads [N,H,W,C] explicitly: an independent way to get 'same' from 'valid'. */
function zeroPad(x: Tensor, top: number, bottom: number, left: number, right: number): Tensor {
  const [n, h, w, c] = x.shape;
  const out = tensor([n, h + top + bottom, w + left + right, c]);
  for (let b = 0; b < n; b++)
    for (let y = 0; y < h; y++)
      for (let xx = 0; xx < w; xx++)
        for (let ch = 0; ch < c; ch++) {
          out.data[((b * out.shape[1] + y + top) * out.shape[2] + xx + left) * c + ch] =
            x.data[((b * h + y) * w + xx) * c + ch];
        }
  return out;
}

describe('conv2d reference', () => {
  it('computes a hand-worked example (2x3 input, 2x2 kernel, bias)', () => {
    // x = [[1,2,3],[4,5,6]], kernel [[1,0],[0,-1]] (one channel in and out), bias 10:
    // y = [1-5, 2-6] + 10 = [6, 6].
    const x = tensor([1, 2, 3, 1], [1, 2, 3, 4, 5, 6]);
    const k = tensor([2, 2, 1, 1], [1, 0, 0, -1]);
    const y = conv2dForward(x, k, new Float64Array([10]), { strides: [1, 1], padding: 'valid' });
    expect(y.shape).toEqual([1, 1, 2, 1]);
    expect([...y.data]).toEqual([6, 6]);
    // 'same' with stride 1 and a 2x2 kernel pads 0 before and 1 after on both axes.
    const ys = conv2dForward(x, k, null, { strides: [1, 1], padding: 'same' });
    expect(ys.shape).toEqual([1, 2, 3, 1]);
    expect([...ys.data]).toEqual([1 - 5, 2 - 6, 3, 4, 5, 6]);
  });

  it("'same' equals 'valid' on an explicitly zero-padded input (TF padding split)", () => {
    const rand = rng(11);
    const x = randomTensor([1, 6, 6, 2], rand);
    // [top, bottom, left, right]: the zero padding TF's 'same' adds for these sizes.
    const splits: { x: Tensor; k: Tensor; s: number; pad: [number, number, number, number] }[] = [
      // in 6, k 4, s 2: out 3, total pad (3-1)*2+4-6 = 2 -> 1 before, 1 after.
      { x, k: randomTensor([4, 4, 2, 3], rand), s: 2, pad: [1, 1, 1, 1] },
      // in 7, k 3, s 2: out 4, total (4-1)*2+3-7 = 2 -> 1 before, 1 after; in 5 -> out 3, total 2.
      { x: randomTensor([1, 7, 5, 1], rand), k: randomTensor([3, 3, 1, 1], rand), s: 2, pad: [1, 1, 1, 1] },
      // in 6, k 2, s 1: total 1 -> 0 before, 1 after (the odd pixel goes after).
      { x, k: randomTensor([2, 2, 2, 1], rng(3)), s: 1, pad: [0, 1, 0, 1] },
    ];
    for (const c of splits) {
      const strides: [number, number] = [c.s, c.s];
      const same = conv2dForward(c.x, c.k, null, { strides, padding: 'same' });
      const valid = conv2dForward(zeroPad(c.x, ...c.pad), c.k, null, { strides, padding: 'valid' });
      expect(same.shape).toEqual(valid.shape);
      for (let i = 0; i < same.data.length; i++) expect(same.data[i]).toBeCloseTo(valid.data[i], 12);
    }
  });

  it('rejects a kernel larger than the input with valid padding and mismatched channels', () => {
    const x = tensor([1, 4, 4, 1]);
    expect(() => conv2dForward(x, tensor([5, 5, 1, 1]), null, { strides: [1, 1], padding: 'valid' })).toThrow(
      /larger/,
    );
    expect(() => conv2dForward(x, tensor([3, 3, 2, 1]), null, { strides: [1, 1], padding: 'valid' })).toThrow(
      /channels/,
    );
  });

  for (const c of cases) {
    it(`gradients match finite differences: ${c.name}`, () => {
      const rand = rng(c.x.reduce((a, b) => a * 31 + b, 7));
      const opts: Conv2dOptions = { strides: c.strides, padding: c.padding };
      const { y, result: r } = convGradientCheck(
        { forward: conv2dForward, backward: conv2dBackward },
        { x: c.x, k: c.k, bias: c.k[3] },
        opts,
        rand,
        { rtol: 1e-6, atol: 1e-8 },
      );
      expect(y.shape).toEqual([c.x[0], c.out[0], c.out[1], c.k[3]]);
      expect(r.failures).toEqual([]);
      const size = (s: number[]) => s.reduce((a, b) => a * b, 1);
      expect(r.checked).toBe(size(c.x) + size(c.k) + c.k[3]);
    });
  }
});
