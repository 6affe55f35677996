import { describe, expect, it } from 'vitest';
import * as bn from '../../src/reference/batchnorm';
import { type Tensor, tensor } from '../../src/reference/tensor';
import { checkGradient, dot, randomTensor, rng } from './gradcheck';

describe('batchnorm reference', () => {
  it('hand example: 2 samples, 1 channel, statistics and output', () => {
    const x = tensor([2, 1], [1, 3]);
    const { mean, variance } = bn.batchnormStats(x);
    expect([...mean]).toEqual([2]);
    expect([...variance]).toEqual([1]); // biased: ((1-2)^2 + (3-2)^2) / 2
    const y = bn.batchnormTrainForward(x, {
      epsilon: 0,
      gamma: new Float64Array([2]),
      beta: new Float64Array([5]),
    });
    expect([...y.y.data]).toEqual([3, 7]);
    expect([...bn.movingUpdate(new Float64Array([1]), variance, 0.99)]).toEqual([1 * 0.99 + 1 * 0.01]);
    expect(bn.movingUpdate(new Float64Array([0]), mean, 0.9)[0]).toBeCloseTo(0.2, 15);
  });

  it('statistics are per channel over every axis but the last', () => {
    const x = tensor([2, 2, 1, 2], [1, 10, 2, 20, 3, 30, 4, 40]);
    const { mean, variance } = bn.batchnormStats(x);
    expect([...mean]).toEqual([2.5, 25]);
    expect([...variance]).toEqual([1.25, 125]);
  });

  const cases: { shape: number[]; valid?: number; gamma: boolean; beta: boolean }[] = [
    { shape: [4, 3], gamma: true, beta: true },
    { shape: [3, 2, 3, 4], gamma: true, beta: true },
    { shape: [3, 2, 2, 2], gamma: false, beta: true },
    { shape: [2, 3, 2, 3], gamma: true, beta: false },
    { shape: [4, 2, 2, 3], valid: 3, gamma: true, beta: true },
    { shape: [5, 2], valid: 2, gamma: true, beta: true },
  ];
  for (const c of cases) {
    it(`finite differences: x ${JSON.stringify(c.shape)} valid ${c.valid ?? 'all'} gamma ${c.gamma} beta ${c.beta}`, () => {
      const rand = rng(c.shape.reduce((a, b) => a * 7 + b, 3));
      const ch = c.shape[c.shape.length - 1];
      const x = randomTensor(c.shape, rand, -2, 2);
      const gamma = randomTensor([ch], rand, 0.5, 1.5).data;
      const beta = randomTensor([ch], rand).data;
      const opts = {
        epsilon: 1e-3,
        gamma: c.gamma ? gamma : null,
        beta: c.beta ? beta : null,
        validRows: c.valid,
      };
      const R = randomTensor(c.shape, rand);
      // Padding rows' outputs are not part of the loss (the next layers ignore them too).
      const perSample = x.data.length / c.shape[0];
      const validElems = (c.valid ?? c.shape[0]) * perSample;
      const masked = (t: Tensor) => t.data.map((v, i) => (i < validElems ? v : 0));
      const dY = tensor(c.shape, masked(R));
      const loss = ([xv, g, b]: Float64Array[]) =>
        dot(
          masked(
            bn.batchnormTrainForward(
              { shape: c.shape, data: xv },
              { ...opts, gamma: c.gamma ? g : null, beta: c.beta ? b : null },
            ).y,
          ),
          R.data,
        );
      const { dX, dGamma, dBeta } = bn.batchnormBackward(x, dY, opts);
      const res = checkGradient(
        loss,
        [x.data, gamma, beta],
        [dX.data, c.gamma ? dGamma : new Float64Array(ch), c.beta ? dBeta : new Float64Array(ch)],
      );
      expect(res.failures).toEqual([]);
      expect(res.checked).toBeGreaterThan(0);
      // Padding rows get no gradient, and changing them leaves the valid rows' outputs alone.
      for (let i = validElems; i < x.data.length; i++) expect(dX.data[i]).toBe(0);
      const y0 = bn.batchnormTrainForward(x, opts).y;
      const x2 = tensor(
        c.shape,
        x.data.map((v, i) => (i < validElems ? v : v + 100)),
      );
      const y2 = bn.batchnormTrainForward(x2, opts).y;
      expect(masked(y2)).toEqual(masked(y0));
    });
  }

  it('inference with the moving statistics is an affine map per channel', () => {
    const rand = rng(5);
    const x = randomTensor([3, 2, 2, 2], rand);
    const mean = new Float64Array([0.5, -1]);
    const variance = new Float64Array([4, 0.25]);
    const y = bn.batchnormApply(x, mean, variance, { epsilon: 0, gamma: null, beta: null });
    for (let i = 0; i < x.data.length; i++) {
      const k = i % 2;
      expect(y.data[i]).toBeCloseTo((x.data[i] - mean[k]) / Math.sqrt(variance[k]), 12);
    }
  });
});
