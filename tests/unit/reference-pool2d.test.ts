import { describe, expect, it } from 'vitest';
import { type Pool2dOptions, pool2dBackward, pool2dForward } from '../../src/reference/pool2d';
import { type Padding, tensor } from '../../src/reference/tensor';
import { inputGradientCheck, randomTensor, rng } from './gradcheck';

describe('pool2d reference', () => {
  it('max pool: hand example, padding never wins, ties send the gradient to the first cell', () => {
    // 3x3 single channel, all negative so a zero pad would win if padding took part.
    const x = tensor([1, 3, 3, 1], [-5, -1, -3, -4, -2, -6, -9, -8, -7]);
    const opts: Pool2dOptions = { mode: 'max', poolSize: [2, 2], strides: [2, 2], padding: 'same' };
    const y = pool2dForward(x, opts);
    // 'same', in 3, k 2, s 2: out 2, total pad 1 (after). Windows: {-5,-1,-4,-2}, {-3,-6}, {-9,-8}, {-7}.
    expect(y.shape).toEqual([1, 2, 2, 1]);
    expect([...y.data]).toEqual([-1, -3, -8, -7]);
    const dX = pool2dBackward(x, tensor([1, 2, 2, 1], [1, 2, 3, 4]), opts);
    expect([...dX.data]).toEqual([0, 1, 2, 0, 0, 0, 0, 3, 4]);

    const ties = tensor([1, 2, 2, 1], [7, 7, 7, 7]);
    const tieOpts: Pool2dOptions = { mode: 'max', poolSize: [2, 2], strides: [2, 2], padding: 'valid' };
    expect([...pool2dBackward(ties, tensor([1, 1, 1, 1], [5]), tieOpts).data]).toEqual([5, 0, 0, 0]);
  });

  it("avg pool: 'same' edge windows divide by their in-bounds cell count", () => {
    const x = tensor([1, 3, 3, 1], [1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const opts: Pool2dOptions = { mode: 'avg', poolSize: [2, 2], strides: [2, 2], padding: 'same' };
    const y = pool2dForward(x, opts);
    expect([...y.data]).toEqual([(1 + 2 + 4 + 5) / 4, (3 + 6) / 2, (7 + 8) / 2, 9]);
    const dX = pool2dBackward(x, tensor([1, 2, 2, 1], [4, 2, 6, 1]), opts);
    expect([...dX.data]).toEqual([1, 1, 1, 1, 1, 1, 3, 3, 1]);
  });

  it('handles overlapping windows (3x3 pool, stride 2) and two channels', () => {
    const x = tensor([1, 3, 3, 2]);
    for (let i = 0; i < 9; i++) {
      x.data[2 * i] = i; // channel 0: 0..8, max at the bottom-right
      x.data[2 * i + 1] = -i - 1; // channel 1: max at the top-left
    }
    const y = pool2dForward(x, { mode: 'max', poolSize: [3, 3], strides: [2, 2], padding: 'valid' });
    expect([...y.data]).toEqual([8, -1]);
  });

  const shapes: {
    name: string;
    x: number[];
    pool: [number, number];
    strides: [number, number];
    padding: Padding;
    out: [number, number];
  }[] = [
    {
      name: '7x5 2x2 s2 valid, C3',
      x: [2, 7, 5, 3],
      pool: [2, 2],
      strides: [2, 2],
      padding: 'valid',
      out: [3, 2],
    },
    {
      name: '7x5 2x2 s2 same, C3',
      x: [2, 7, 5, 3],
      pool: [2, 2],
      strides: [2, 2],
      padding: 'same',
      out: [4, 3],
    },
    {
      name: '7x7 3x3 s2 same (overlap), batch 1, C5',
      x: [1, 7, 7, 5],
      pool: [3, 3],
      strides: [2, 2],
      padding: 'same',
      out: [4, 4],
    },
    {
      name: '6x5 3x2 s(1,2) valid, C1',
      x: [1, 6, 5, 1],
      pool: [3, 2],
      strides: [1, 2],
      padding: 'valid',
      out: [4, 2],
    },
    { name: '5x5 1x1 s1', x: [1, 5, 5, 3], pool: [1, 1], strides: [1, 1], padding: 'valid', out: [5, 5] },
  ];
  for (const mode of ['max', 'avg'] as const) {
    for (const s of shapes) {
      it(`${mode} gradients match finite differences: ${s.name}`, () => {
        const rand = rng(s.x.reduce((a, b) => a * 17 + b, mode === 'max' ? 1 : 2));
        const x = randomTensor(s.x, rand);
        const opts: Pool2dOptions = { mode, poolSize: s.pool, strides: s.strides, padding: s.padding };
        const y = pool2dForward(x, opts);
        expect(y.shape).toEqual([s.x[0], s.out[0], s.out[1], s.x[3]]);
        const R = randomTensor(y.shape, rand);
        const dX = pool2dBackward(x, R, opts);
        // eps 1e-7: random inputs are ~1e-3 apart, so a step never swaps a max window's winner.
        const r = inputGradientCheck(x, R, (t) => pool2dForward(t, opts), dX, {
          eps: 1e-7,
          rtol: 1e-6,
          atol: 1e-7,
        });
        expect(r.failures).toEqual([]);
        expect(r.checked).toBe(x.data.length);
      });
    }
  }
});
