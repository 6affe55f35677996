// The batch gather's augmentation (shaders/batch.wgsl) against the float64 reference (src/reference/augment.ts
// through gatherBatch), per layer and composed, plus checks of the semantics that do not go through the
// reference: flips happen for about half of the rows, factor 0 is the identity, fill modes at the border.
// The gather is one kernel for both kernel families, so there is no family to loop over.
import { describe, expect, it } from 'vitest';
import type { Normalization } from '../../src/data/types';
import { createContext, encodeDispatches, type GpuContext } from '../../src/gpu/context';
import type { AugmentChain, AugmentStage } from '../../src/model/augment-chain';
import { Rng } from '../../src/model/random';
import { gatherBatch } from '../../src/reference/batch';
import { BatchGather, uploadImageSet } from '../../src/train/batch';
import { StepState } from '../../src/train/step-state';
import { nodeGpu, readF32 } from '../helpers/node-gpu';

const SEED = 1234;
type StageSpec = AugmentStage extends infer S
  ? S extends AugmentStage
    ? Omit<S, 'inH' | 'inW'>
    : never
  : never;

/** A chain over an H x W frame: stage frames follow the crops, as augmentChain builds them. */
function chainOf(h: number, w: number, specs: StageSpec[], rest: Partial<AugmentChain> = {}): AugmentChain {
  let [fh, fw] = [h, w];
  const stages = specs.map((s) => {
    const st = { ...s, inH: fh, inW: fw } as AugmentStage;
    if (st.kind === 'crop') [fh, fw] = [st.height, st.width];
    return st;
  });
  return {
    stages,
    inH: h,
    inW: w,
    outH: fh,
    outW: fw,
    fillMode: 'reflect',
    interpolation: 'bilinear',
    fill: [0, 0, 0],
    ...rest,
  };
}

interface Run {
  ctx: GpuContext;
  images: Uint8Array;
  /** GPU output of the training gather at `step` for the rows of `order` starting at 0. */
  gpu(step: number, training?: boolean): Promise<Float32Array>;
  ref(step: number, training?: boolean): Float64Array;
}

let shared: GpuContext | null = null;

async function setup(
  chain: AugmentChain,
  src: [number, number, number],
  batch: number,
  normalization: Normalization = { kind: 'scale255' },
  mode: 'pad' | 'resize' = 'pad',
  images?: Uint8Array,
): Promise<Run> {
  const { device } = await nodeGpu();
  // One context for the file: its pipeline cache compiles the gather once (SwiftShader takes seconds).
  shared ??= createContext(device);
  const ctx = shared;
  const [h, w, ch] = src;
  const rng = new Rng(7);
  const count = batch;
  chain.fill = chain.fill.slice(0, ch);
  const data = images ?? Uint8Array.from({ length: count * h * w * ch }, () => Math.floor(rng.next() * 256));
  const labels = Int32Array.from({ length: count }, (_, i) => i % 10);
  const source = { height: h, width: w, channels: ch, normalization };
  const set = uploadImageSet(ctx, 'train', source, { images: data, labels, count });
  const outSize = batch * chain.outH * chain.outW * ch;
  const x = ctx.arena.storage('x', batch * chain.inH * chain.inW * ch);
  const outLabels = ctx.arena.storage('labels', batch);
  const step = new StepState(ctx, SEED, 0.1);
  const target = { x, labels: outLabels, batch, dstH: chain.inH, dstW: chain.inW };
  const gather = new BatchGather(ctx, source, target, mode, step.buffer, chain);
  const train = gather.dispatch(set, { seqBase: 0 }, 'train', true);
  const infer = gather.dispatch(set, { seqBase: 0 }, 'infer', false);
  const opts = { srcH: h, srcW: w, channels: ch, dstH: chain.inH, dstW: chain.inW, mode, normalization };
  const rows = Int32Array.from({ length: batch }, (_, i) => i);
  return {
    ctx,
    images: data,
    async gpu(s, training = true) {
      step.step = s;
      step.write(0, batch);
      const enc = device.createCommandEncoder();
      const pass = enc.beginComputePass();
      encodeDispatches(pass, [training ? train : infer]);
      pass.end();
      device.queue.submit([enc.finish()]);
      return readF32(device, x, outSize);
    },
    ref(s, training = true) {
      const augment = { chain, draw: { seed: SEED, step: s }, training };
      return gatherBatch(data, rows, { ...opts, augment }).data;
    },
  };
}

function worstDiff(a: Float32Array, b: Float64Array): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

const CASES: { name: string; chain: AugmentChain; src: [number, number, number]; mode?: 'pad' | 'resize' }[] =
  [
    {
      name: 'RandomFlip horizontal_and_vertical',
      src: [6, 5, 1],
      chain: chainOf(6, 5, [{ kind: 'flip', horizontal: true, vertical: true, seed: 0 }]),
    },
    {
      name: 'RandomTranslation, constant fill in the normalised domain',
      src: [7, 6, 2],
      chain: chainOf(7, 6, [{ kind: 'translate', height: [-0.3, 0.2], width: [-0.2, 0.3], seed: 3 }], {
        fillMode: 'constant',
        fill: [0.25, -1],
      }),
    },
    {
      name: 'RandomRotation 0.2, wrap, into a padded 28 -> 32 MNIST-like frame',
      src: [8, 8, 1],
      chain: chainOf(10, 10, [{ kind: 'rotate', range: [-0.2, 0.2], seed: 0 }], { fillMode: 'wrap' }),
    },
    {
      name: 'RandomZoom (-0.3, 0.4) with its own width factor, nearest fill, resized RGB',
      src: [5, 7, 3],
      mode: 'resize',
      chain: chainOf(9, 8, [{ kind: 'zoom', height: [-0.3, 0.4], width: [-0.2, 0.1], seed: 0 }], {
        fillMode: 'nearest',
      }),
    },
    {
      name: 'RandomZoom with width_factor=None (one draw for both axes)',
      src: [8, 6, 1],
      chain: chainOf(8, 6, [{ kind: 'zoom', height: [-0.5, 0.5], width: null, seed: 9 }]),
    },
    {
      name: 'RandomCrop 6x5 out of 9x8',
      src: [9, 8, 2],
      chain: chainOf(9, 8, [{ kind: 'crop', height: 6, width: 5, seed: 0 }]),
    },
    {
      name: 'composition: crop, flip, rotation, zoom, translation',
      src: [12, 12, 3],
      chain: chainOf(
        12,
        12,
        [
          { kind: 'crop', height: 10, width: 9, seed: 0 },
          { kind: 'flip', horizontal: true, vertical: false, seed: 0 },
          { kind: 'rotate', range: [-0.1, 0.15], seed: 0 },
          { kind: 'zoom', height: [-0.2, 0.2], width: null, seed: 0 },
          { kind: 'translate', height: [-0.1, 0.1], width: [-0.1, 0.1], seed: 0 },
        ],
        { fillMode: 'constant', fill: [0.1, 0.2, 0.3] },
      ),
    },
  ];

describe('batch.wgsl augmentation vs the float64 reference', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const run = await setup(c.chain, c.src, 6, { kind: 'scale255' }, c.mode ?? 'pad');
      // Float32 bilinear weights on 0..1 values: 1e-4 is ~0.03 of a grey level. WGSL's sin and cos are only
      // bound to 2^-11 absolute error: a point r pixels from the centre may move 2^-11 r pixels, and a pixel of a
      // random image differs from its neighbour by up to 1, so rotations get 2^-11 * 8 (~1 grey level).
      const rotates = c.chain.stages.some((st) => st.kind === 'rotate');
      const tolerance = rotates ? 2 ** -11 * 8 : 1e-4;
      for (const s of [0, 1, 17]) {
        expect(worstDiff(await run.gpu(s), run.ref(s))).toBeLessThan(tolerance);
      }
      // Evaluation / predict: only RandomCrop's inference resize remains.
      expect(worstDiff(await run.gpu(0, false), run.ref(0, false))).toBeLessThan(1e-4);
      run.ctx.arena.destroyAll();
    });
  }

  it('nearest interpolation with a flip and a translation (same pixels as the reference)', async () => {
    const chain = chainOf(
      8,
      8,
      [
        { kind: 'flip', horizontal: true, vertical: false, seed: 0 },
        { kind: 'translate', height: [-0.25, 0.25], width: [-0.25, 0.25], seed: 0 },
      ],
      { interpolation: 'nearest' },
    );
    const run = await setup(chain, [8, 8, 1], 8);
    for (const s of [0, 5]) {
      const got = await run.gpu(s);
      const want = run.ref(s);
      // A draw landing within float32 rounding of a half pixel may round the other way: allow 1 pixel in 100.
      let off = 0;
      for (let i = 0; i < got.length; i++) if (Math.abs(got[i] - want[i]) > 1e-4) off++;
      expect(off).toBeLessThanOrEqual(got.length / 100);
    }
    run.ctx.arena.destroyAll();
  });
});

describe('augmentation semantics on the GPU', () => {
  it("RandomFlip('horizontal') mirrors about half of the rows, each exactly, and changes with the step", async () => {
    const [h, w] = [4, 5];
    const batch = 64;
    const run = await setup(
      chainOf(h, w, [{ kind: 'flip', horizontal: true, vertical: false, seed: 0 }]),
      [h, w, 1],
      batch,
    );
    let flipped = 0;
    const patterns = new Set<string>();
    for (const s of [0, 1, 2, 3]) {
      const got = await run.gpu(s);
      let pattern = '';
      for (let r = 0; r < batch; r++) {
        let same = true;
        let mirrored = true;
        for (let y = 0; y < h; y++) {
          for (let x = 0; x < w; x++) {
            const v = got[(r * h + y) * w + x];
            same &&= Math.abs(v - run.images[(r * h + y) * w + x] / 255) < 1e-6;
            mirrored &&= Math.abs(v - run.images[(r * h + y) * w + (w - 1 - x)] / 255) < 1e-6;
          }
        }
        expect(same || mirrored).toBe(true);
        flipped += mirrored && !same ? 1 : 0;
        pattern += mirrored ? '1' : '0';
      }
      patterns.add(pattern);
    }
    // 256 fair coins: 128 +- 4 standard deviations (8).
    expect(flipped).toBeGreaterThan(96);
    expect(flipped).toBeLessThan(160);
    expect(patterns.size).toBe(4);
    run.ctx.arena.destroyAll();
  });

  it('RandomRotation(0), RandomZoom(0) and RandomTranslation(0, 0) are the identity', async () => {
    const chain = chainOf(
      7,
      6,
      [
        { kind: 'rotate', range: [0, 0], seed: 0 },
        { kind: 'zoom', height: [0, 0], width: null, seed: 0 },
        { kind: 'translate', height: [0, 0], width: [0, 0], seed: 0 },
      ],
      { fillMode: 'constant', fill: [0.5, 0.5] },
    );
    const run = await setup(chain, [7, 6, 2], 4);
    const got = await run.gpu(3);
    for (let i = 0; i < got.length; i++) expect(got[i]).toBeCloseTo(run.images[i] / 255, 6);
    run.ctx.arena.destroyAll();
  });

  it('fill modes at the border of a shift by exactly two columns', async () => {
    // One 1x4 row [10, 20, 30, 40] shifted right by half its width: x -> x - 2.
    const row = Uint8Array.from([10, 20, 30, 40]);
    const expected: Record<string, number[]> = {
      reflect: [20, 10, 10, 20],
      wrap: [30, 40, 10, 20],
      nearest: [10, 10, 10, 20],
      constant: [51, 51, 10, 20],
    };
    for (const [mode, want] of Object.entries(expected)) {
      const chain = chainOf(1, 4, [{ kind: 'translate', height: [0, 0], width: [0.5, 0.5], seed: 0 }], {
        fillMode: mode as AugmentChain['fillMode'],
        fill: [0.2],
      });
      const run = await setup(chain, [1, 4, 1], 1, { kind: 'scale255' }, 'pad', row);
      const got = Array.from(await run.gpu(0), (v) => Math.round(v * 255));
      expect(got, mode).toEqual(want);
      run.ctx.arena.destroyAll();
    }
  });

  it('RandomCrop crops every row of a batch at one random place in training and resizes at inference', async () => {
    const [h, w] = [6, 6];
    const run = await setup(chainOf(h, w, [{ kind: 'crop', height: 3, width: 3, seed: 0 }]), [h, w, 1], 3);
    const offsets = new Set<string>();
    for (const s of [0, 1, 2, 3, 4, 5]) {
      const got = await run.gpu(s);
      // Find the offset of row 0 and check every row was cropped there.
      let found = '';
      for (let oy = 0; oy <= 3 && !found; oy++) {
        for (let ox = 0; ox <= 3 && !found; ox++) {
          let all = true;
          for (let r = 0; r < 3; r++) {
            for (let y = 0; y < 3; y++) {
              for (let x = 0; x < 3; x++) {
                const want = run.images[(r * h + y + oy) * w + x + ox] / 255;
                all &&= Math.abs(got[(r * 3 + y) * 3 + x] - want) < 1e-6;
              }
            }
          }
          if (all) found = `${oy},${ox}`;
        }
      }
      expect(found).not.toBe('');
      offsets.add(found);
    }
    expect(offsets.size).toBeGreaterThan(1);
    // Inference: the 6x6 image resized to 3x3 (half-pixel centres land between pixels 2k and 2k+1).
    const infer = await run.gpu(0, false);
    const at = (y: number, x: number) => run.images[y * w + x] / 255;
    const want = (at(0, 0) + at(0, 1) + at(1, 0) + at(1, 1)) / 4;
    expect(infer[0]).toBeCloseTo(want, 5);
    run.ctx.arena.destroyAll();
  });
});
