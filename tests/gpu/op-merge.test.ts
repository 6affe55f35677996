// The merge kernels (shaders/merge.wgsl) against the float64 reference (src/reference/merge.ts): forward and
// every input's gradient, including an input that needs no gradient and Maximum's tie rule.
import { describe, expect, it } from 'vitest';
import type { Layer } from '../../src/model/layers';
import { Rng } from '../../src/model/random';
import type { BuiltLayer } from '../../src/model/sequential';
import { createLayerOp } from '../../src/ops';
import { STEP } from '../../src/ops/types';
import { MERGE_KINDS, mergeLayerBackward, mergeLayerForward } from '../../src/reference/merge';
import type { Tensor } from '../../src/reference/tensor';
import { readF32 } from '../helpers/node-gpu';
import { expectClose, randomTensor, SENTINEL, submitOp, testContext, upload } from './harness';

/** A merge layer as the functional API builds it (C's specs give these class names and configs). */
function mergeLayer(className: string, shapes: number[][], outputShape: number[], config = {}): BuiltLayer {
  return {
    layer: { className, config: { name: className.toLowerCase(), ...config } } as unknown as Layer,
    inputShape: shapes[0],
    inputShapes: shapes,
    inbound: shapes.map(() => -1),
    outputShape,
    params: [],
    paramCount: 0,
  };
}

async function run(built: BuiltLayer, xs: Tensor[], dY: Tensor, noGrad: number[] = []) {
  const ctx = await testContext();
  const batch = xs[0].shape[0];
  const xBufs = xs.map((x, k) => upload(ctx, `x${k}`, x.data));
  const dXBufs = xs.map((x, k) =>
    noGrad.includes(k) ? null : upload(ctx, `dX${k}`, new Float32Array(x.data.length).fill(SENTINEL)),
  );
  const y = upload(ctx, 'y', new Float32Array(dY.data.length).fill(SENTINEL));
  const dYBuf = upload(ctx, 'dY', dY.data);
  const step = ctx.arena.storage('step', STEP.words);
  const io = { x: xBufs[0], y, dX: dXBufs[0], dY: dYBuf, step, xs: xBufs, dXs: dXBufs };
  const op = createLayerOp(ctx, built, io, { batch, layerIndex: 0, softmaxInLoss: false });
  const before = submitOp(ctx, op);
  const out = {
    y: await readF32(ctx.device, y, dY.data.length),
    dXs: await Promise.all(dXBufs.map((b, k) => (b ? readF32(ctx.device, b, xs[k].data.length) : null))),
  };
  expect(ctx.arena.allocations).toBe(before);
  ctx.arena.destroyAll();
  return out;
}

describe('merge kernels vs the reference', () => {
  for (const kind of MERGE_KINDS) {
    for (const n of kind === 'Subtract' ? [2] : [2, 3]) {
      it(`${kind} of ${n} inputs (6x5x4 maps, batch 3): y and every dX`, async () => {
        const rng = new Rng(n * 100 + kind.length);
        const shape = [6, 5, 4];
        const xs = Array.from({ length: n }, () => randomTensor([3, ...shape], rng));
        const dY = randomTensor([3, ...shape], rng);
        const layer = mergeLayer(
          kind,
          xs.map(() => shape),
          shape,
        );
        const got = await run(layer, xs, dY);
        expectClose(`${kind} y`, got.y, mergeLayerForward(layer.layer, xs).data);
        mergeLayerBackward(layer.layer, xs, dY).forEach((d, k) => {
          expectClose(`${kind} dX${k}`, got.dXs[k], d.data);
        });
      });
    }
  }

  it('Maximum gives a tie to the first input only, even when that input needs no gradient', async () => {
    const a = { shape: [2, 3], data: Float64Array.from([0, 1, 2, 5, 0, -1]) };
    const b = { shape: [2, 3], data: Float64Array.from([0, 3, 2, 5, -1, 0]) };
    const c = { shape: [2, 3], data: Float64Array.from([0, 3, 1, 5, 0, 0]) };
    const dY = { shape: [2, 3], data: Float64Array.from([1, 2, 3, 4, 5, 6]) };
    const xs = [a, b, c];
    const layer = mergeLayer(
      'Maximum',
      xs.map(() => [3]),
      [3],
    );
    const got = await run(layer, xs, dY, [0]);
    expect(got.dXs[0]).toBeNull();
    const ref = mergeLayerBackward(layer.layer, xs, dY);
    expect(Array.from(got.dXs[1] as Float32Array)).toEqual(Array.from(ref[1].data));
    expect(Array.from(got.dXs[2] as Float32Array)).toEqual(Array.from(ref[2].data));
    // Element 0 ties three ways and goes to a (no gradient here), so b and c get nothing there.
    expect(got.dXs[1]?.[0]).toBe(0);
    expect(got.dXs[2]?.[0]).toBe(0);
  });

  for (const axis of [-1, 1, 3]) {
    it(`Concatenate axis=${axis} of three inputs`, async () => {
      const rng = new Rng(50 + axis);
      const base = [4, 3, 5];
      const a = axis === -1 ? 2 : axis - 1;
      const shapes = [2, 1, 3].map((len) => base.map((d, i) => (i === a ? len : d)));
      const out = base.map((d, i) => (i === a ? 6 : d));
      const xs = shapes.map((s) => randomTensor([2, ...s], rng));
      const dY = randomTensor([2, ...out], rng);
      const layer = mergeLayer('Concatenate', shapes, out, { axis });
      const got = await run(layer, xs, dY, [1]);
      expectClose('concat y', got.y, mergeLayerForward(layer.layer, xs).data);
      const ref = mergeLayerBackward(layer.layer, xs, dY);
      expectClose('concat dX0', got.dXs[0], ref[0].data);
      expect(got.dXs[1]).toBeNull();
      expectClose('concat dX2', got.dXs[2], ref[2].data);
    });
  }

  it('refuses mismatched shapes and a batch-axis concatenation with the fix', async () => {
    const ctx = await testContext();
    const b = ctx.arena.storage('b', 64);
    const io = { x: b, y: b, dX: null, dY: b, step: b, xs: [b, b], dXs: [null, null] };
    const opts = { batch: 1, layerIndex: 0, softmaxInLoss: false };
    expect(() =>
      createLayerOp(
        ctx,
        mergeLayer(
          'Add',
          [
            [4, 4, 8],
            [4, 4, 16],
          ],
          [4, 4, 8],
        ),
        io,
        opts,
      ),
    ).toThrow(/inputs of one shape, got \(4, 4, 8\) and \(4, 4, 16\).*1x1 Conv2D/);
    expect(() =>
      createLayerOp(ctx, mergeLayer('Concatenate', [[4], [4]], [8], { axis: 0 }), io, opts),
    ).toThrow(/batch axis; use axis=-1/);
    ctx.arena.destroyAll();
  });
});
