import { describe, expect, it } from 'vitest';
import { denseBackward, denseForward } from '../../src/reference/dense';
import { tensor } from '../../src/reference/tensor';
import { checkGradient, dot, randomTensor, rng } from './gradcheck';

describe('dense reference', () => {
  it('computes a hand-worked example', () => {
    // x = [[1, 2]], K = [[1, 2, 3], [4, 5, 6]], b = [0.5, 0, -1] -> [9.5, 12, 14]
    const y = denseForward(
      tensor([1, 2], [1, 2]),
      tensor([2, 3], [1, 2, 3, 4, 5, 6]),
      new Float64Array([0.5, 0, -1]),
    );
    expect(y.shape).toEqual([1, 3]);
    expect([...y.data]).toEqual([9.5, 12, 14]);
    const g = denseBackward(
      tensor([1, 2], [1, 2]),
      tensor([2, 3], [1, 2, 3, 4, 5, 6]),
      tensor([1, 3], [1, 0, -1]),
    );
    expect([...g.dX.data]).toEqual([1 - 3, 4 - 6]);
    expect([...g.dKernel.data]).toEqual([1, 0, -1, 2, 0, -2]);
    expect([...g.dBias]).toEqual([1, 0, -1]);
  });

  it('rejects mismatched feature counts', () => {
    expect(() => denseForward(tensor([2, 3]), tensor([4, 2]), null)).toThrow(/3 features/);
  });

  for (const [n, fin, fout] of [
    [1, 5, 3],
    [4, 7, 10],
    [3, 1, 1],
    [2, 13, 6],
  ]) {
    it(`gradients match finite differences: [${n},${fin}] x [${fin},${fout}]`, () => {
      const rand = rng(n * 1000 + fin * 10 + fout);
      const x = randomTensor([n, fin], rand);
      const k = randomTensor([fin, fout], rand);
      const b = randomTensor([fout], rand).data;
      const R = randomTensor([n, fout], rand);
      const g = denseBackward(x, k, R);
      const f = ([xd, kd, bd]: Float64Array[]) =>
        dot(denseForward({ shape: x.shape, data: xd }, { shape: k.shape, data: kd }, bd).data, R.data);
      const r = checkGradient(f, [x.data, k.data, b], [g.dX.data, g.dKernel.data, g.dBias], {
        rtol: 1e-6,
        atol: 1e-8,
      });
      expect(r.failures).toEqual([]);
      expect(r.checked).toBe(n * fin + fin * fout + fout);
    });
  }
});
