import { describe, expect, it } from 'vitest';
import * as merge from '../../src/reference/merge';
import { tensor } from '../../src/reference/tensor';
import { checkGradient, dot, randomTensor, rng } from './gradcheck';

describe('merge reference', () => {
  it('computes hand-worked values', () => {
    const a = tensor([1, 3], [1, -2, 3]);
    const b = tensor([1, 3], [4, 5, -6]);
    const c = tensor([1, 3], [0.5, 5, 2]);
    expect(Array.from(merge.mergeForward('Add', [a, b, c]).data)).toEqual([5.5, 8, -1]);
    expect(Array.from(merge.mergeForward('Subtract', [a, b]).data)).toEqual([-3, -7, 9]);
    expect(Array.from(merge.mergeForward('Multiply', [a, b, c]).data)).toEqual([2, -50, -36]);
    expect(Array.from(merge.mergeForward('Average', [a, b]).data)).toEqual([2.5, 1.5, -1.5]);
    expect(Array.from(merge.mergeForward('Maximum', [a, b, c]).data)).toEqual([4, 5, 3]);
    // Ties: the first input equal to the maximum gets the whole gradient (b and c tie at 5).
    const dY = tensor([1, 3], [1, 2, 3]);
    const [da, db, dc] = merge.mergeBackward('Maximum', [a, b, c], dY);
    expect([Array.from(da.data), Array.from(db.data), Array.from(dc.data)]).toEqual([
      [0, 0, 3],
      [1, 2, 0],
      [0, 0, 0],
    ]);
    expect(() => merge.mergeForward('Subtract', [a, b, c])).toThrow(/exactly 2/);
    expect(() => merge.mergeForward('Add', [a, tensor([1, 2])])).toThrow(/differ/);
  });

  for (const kind of merge.MERGE_KINDS) {
    it(`${kind}: gradients of every input match finite differences`, () => {
      const r = rng(7 + kind.length);
      const n = kind === 'Subtract' ? 2 : 3;
      const xs = Array.from({ length: n }, () => randomTensor([2, 5], r));
      const R = randomTensor([2, 5], r);
      const f = () => dot(merge.mergeForward(kind, xs).data, R.data);
      const grads = merge.mergeBackward(kind, xs, R).map((g) => g.data);
      const res = checkGradient(
        f,
        xs.map((x) => x.data),
        grads,
      );
      expect(res.failures).toEqual([]);
      expect(res.checked).toBe(10 * n);
    });
  }

  for (const axis of [-1, 1, 2]) {
    it(`Concatenate axis=${axis}: layout and finite-difference gradients`, () => {
      const r = rng(11 + axis);
      const shapes = [
        [2, 3, 2, 2],
        [2, 3, 2, 2],
      ];
      const a = axis === -1 ? 3 : axis;
      shapes[1][a] = 1;
      const xs = shapes.map((s) => randomTensor(s, r));
      const y = merge.concatForward(xs, axis);
      const want = [...shapes[0]];
      want[a] = shapes[0][a] + 1;
      expect(y.shape).toEqual(want);
      const R = randomTensor(y.shape, r);
      const res = checkGradient(
        () => dot(merge.concatForward(xs, axis).data, R.data),
        xs.map((x) => x.data),
        merge.concatBackward(xs, axis, R).map((g) => g.data),
      );
      expect(res.failures).toEqual([]);
    });
  }

  it('Concatenate on the last axis puts each row of the inputs side by side', () => {
    const a = tensor([2, 2], [1, 2, 3, 4]);
    const b = tensor([2, 1], [9, 8]);
    expect(Array.from(merge.concatForward([a, b], -1).data)).toEqual([1, 2, 9, 3, 4, 8]);
  });

  it('a layer by its Keras class: Concatenate reads config.axis (default -1), others their kind; else refused', () => {
    const a = tensor([2, 2], [1, 2, 3, 4]);
    const b = tensor([2, 2], [9, 8, 7, 6]);
    const dY = tensor([2, 4], [1, 2, 3, 4, 5, 6, 7, 8]);
    const concat = { className: 'Concatenate', config: {} };
    expect(Array.from(merge.mergeLayerForward(concat, [a, b]).data)).toEqual([1, 2, 9, 8, 3, 4, 7, 6]);
    expect(merge.mergeLayerBackward(concat, [a, b], dY).map((g) => Array.from(g.data))).toEqual([
      [1, 2, 5, 6],
      [3, 4, 7, 8],
    ]);
    const rows = { className: 'Concatenate', config: { axis: 0 } };
    expect(merge.mergeLayerForward(rows, [a, b]).shape).toEqual([4, 2]);
    expect(Array.from(merge.mergeLayerForward({ className: 'Subtract', config: {} }, [a, b]).data)).toEqual([
      -8, -6, -4, -2,
    ]);
    expect(() => merge.mergeLayerForward({ className: 'Dense', config: {} }, [a, b])).toThrow(
      /not a merge layer/,
    );
  });
});
