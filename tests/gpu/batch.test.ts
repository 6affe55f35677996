// GPU batch assembly (shaders/batch.wgsl) against the float64 reference gather (src/reference/batch.ts).
import { describe, expect, it } from 'vitest';
import type { Normalization } from '../../src/data/types';
import { createContext, encodeDispatches } from '../../src/gpu/context';
import { Rng } from '../../src/model/random';
import { gatherBatch } from '../../src/reference/batch';
import { BatchGather, uploadImageSet } from '../../src/train/batch';
import { StepState } from '../../src/train/step-state';
import { nodeGpu, readBuffer, readF32 } from '../helpers/node-gpu';

interface Case {
  name: string;
  src: [number, number, number];
  dst: [number, number];
  mode: 'pad' | 'resize';
  normalization: Normalization;
}

const CASES: Case[] = [
  {
    name: 'MNIST into LeNet: pad 28 -> 32, scale255',
    src: [28, 28, 1],
    dst: [32, 32],
    mode: 'pad',
    normalization: { kind: 'scale255' },
  },
  {
    name: 'odd pad and centred crop, meanstd',
    src: [9, 6, 1],
    dst: [12, 4],
    mode: 'pad',
    normalization: { kind: 'meanstd', mean: [0.13], std: [0.31] },
  },
  {
    name: 'RGB 5x7 (105 bytes a sample) upsized bilinear, per-channel meanstd',
    src: [5, 7, 3],
    dst: [11, 9],
    mode: 'resize',
    normalization: { kind: 'meanstd', mean: [0.49, 0.48, 0.45], std: [0.25, 0.24, 0.26] },
  },
  {
    name: 'RGB downsized bilinear 32 -> 20, scale255',
    src: [32, 32, 3],
    dst: [20, 13],
    mode: 'resize',
    normalization: { kind: 'scale255' },
  },
  {
    name: 'same size, no change but scaling',
    src: [4, 4, 2],
    dst: [4, 4],
    mode: 'pad',
    normalization: { kind: 'scale255' },
  },
];

describe('batch.wgsl gather vs reference', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const { device } = await nodeGpu();
      const ctx = createContext(device);
      const rng = new Rng(3);
      const [h, w, ch] = c.src;
      const count = 13;
      const batch = 5;
      const images = Uint8Array.from({ length: count * h * w * ch }, () => Math.floor(rng.next() * 256));
      const labels = Int32Array.from({ length: count }, (_, i) => (i * 7) % 10);
      const src = { height: h, width: w, channels: ch, normalization: c.normalization };
      const set = uploadImageSet(ctx, 'train', src, { images, labels, count });
      const x = ctx.arena.storage('x', batch * c.dst[0] * c.dst[1] * ch);
      const outLabels = ctx.arena.storage('labels', batch);
      const step = new StepState(ctx, 1, 0.1);
      const gather = new BatchGather(
        ctx,
        src,
        { x, labels: outLabels, batch, dstH: c.dst[0], dstW: c.dst[1] },
        c.mode,
        step.buffer,
      );
      const order = Uint32Array.from([12, 3, 0, 7, 9, 11, 1, 5, 2, 4, 6, 8, 10]);
      const indices = ctx.arena.storage('indices', count);
      device.queue.writeBuffer(indices, 0, order);
      const shuffled = gather.dispatch(set, { indices }, 'shuffled');
      const inOrder = gather.dispatch(set, { seqBase: 2 }, 'in-order');
      const runs: { d: typeof shuffled; start: number; valid: number; rows: number[] }[] = [
        { d: shuffled, start: 5, valid: 5, rows: Array.from(order.subarray(5, 10)) },
        // Partial last batch: 3 real rows, 2 padding rows (zeros, label -1).
        { d: shuffled, start: 10, valid: 3, rows: Array.from(order.subarray(10, 13)) },
        { d: inOrder, start: 4, valid: 4, rows: [6, 7, 8, 9] },
      ];
      for (const run of runs) {
        step.write(run.start, run.valid);
        const enc = device.createCommandEncoder();
        const pass = enc.beginComputePass();
        encodeDispatches(pass, [run.d]);
        pass.end();
        device.queue.submit([enc.finish()]);
        const got = await readF32(device, x, batch * c.dst[0] * c.dst[1] * ch);
        const gotLabels = new Int32Array(await readBuffer(device, outLabels, batch * 4));
        const ref = gatherBatch(images, Int32Array.from(run.rows), {
          srcH: h,
          srcW: w,
          channels: ch,
          dstH: c.dst[0],
          dstW: c.dst[1],
          mode: c.mode,
          normalization: c.normalization,
        }).data;
        let worst = 0;
        for (let i = 0; i < ref.length; i++) worst = Math.max(worst, Math.abs(got[i] - ref[i]));
        // Float32 interpolation of 0..255 values then scaling: 1e-4 absolute is ~0.01 of a grey level.
        expect(worst).toBeLessThan(1e-4);
        for (let i = ref.length; i < got.length; i++) expect(got[i]).toBe(0);
        const wantLabels = [...run.rows.map((r) => labels[r]), -1, -1, -1, -1, -1].slice(0, batch);
        expect(Array.from(gotLabels)).toEqual(wantLabels);
      }
      ctx.arena.destroyAll();
    });
  }

  it('refuses a dataset larger than one shader may read, with the sizes', async () => {
    const { device } = await nodeGpu();
    const ctx = createContext(device);
    const limit = device.limits.maxStorageBufferBindingSize;
    const n = Math.ceil(limit / (32 * 32 * 3)) + 1;
    expect(() =>
      uploadImageSet(
        ctx,
        'train',
        { height: 32, width: 32, channels: 3, normalization: { kind: 'scale255' } },
        null,
        n,
      ),
    ).toThrow(/more than this GPU lets one shader read/);
    expect(ctx.arena.allocations).toBe(0);
  });
});
