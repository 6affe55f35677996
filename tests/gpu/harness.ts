// The one harness every GPU op test goes through: builds a tiny BuiltLayer with the model factories, fills
// random inputs / parameters / dY, runs createLayerOp's forward and backward dispatches on the GPU and
// compares y, dX, dKernel and dBias with the float64 reference ops (src/reference) within a stated tolerance.
import { expect } from 'vitest';
import { BufferArena } from '../../src/gpu/arena';
import { encodeDispatches, type GpuContext } from '../../src/gpu/context';
import { type KernelFamily, kernelFamilyFor } from '../../src/gpu/family';
import { PipelineCache } from '../../src/gpu/pipelines';
import type { Layer } from '../../src/model/layers';
import { Rng } from '../../src/model/random';
import { type BuiltLayer, buildSequential } from '../../src/model/sequential';
import { createLayerOp, createLossOp } from '../../src/ops';
import { type LayerOp, STEP } from '../../src/ops/types';
import type { Tensor } from '../../src/reference/tensor';
import { nodeGpu, readF32 } from '../helpers/node-gpu';
import { referenceLayer } from './reference-layer';

/** Output buffers start as this value so a kernel that skips an element cannot pass by luck. */
const SENTINEL = 7777;

export interface OpCase {
  layer: Layer;
  /** Input shape without the batch axis. */
  input: number[];
  batch: number;
  seed?: number;
  /** The layer is first in the model: dX is null and must not be computed. */
  first?: boolean;
  softmaxInLoss?: boolean;
  layerIndex?: number;
  /** STEP.step and STEP.seed for dropout. */
  step?: number;
  runSeed?: number;
  /** Run forwardInfer instead of forwardTrain, and no backward (only y is checked). */
  inference?: boolean;
  /** Fill x with this value instead of random numbers (ties in max pooling). */
  constant?: number;
  /** Max abs error allowed is tol * (1 + max |reference|). Default 1e-4 (float32 against float64). */
  tol?: number;
  /** The kernel family to run (src/gpu/family.ts); default the adapter's own. */
  family?: KernelFamily;
}

export interface OpRun {
  built: BuiltLayer;
  x: Tensor;
  dY: Tensor;
  kernel: Tensor | null;
  bias: Float64Array | null;
  y: Float32Array;
  dX: Float32Array | null;
  dKernel: Float32Array | null;
  dBias: Float32Array | null;
}

let cache: { device: GPUDevice; pipelines: PipelineCache } | null = null;

/**
 * A fresh arena per case (freed after it), one pipeline cache for the whole test file; `family` as given, else
 * the adapter's own.
 */
export async function testContext(family?: KernelFamily): Promise<GpuContext> {
  if (!cache) {
    const { device } = await nodeGpu();
    cache = { device, pipelines: new PipelineCache(device) };
  }
  return {
    device: cache.device,
    pipelines: cache.pipelines,
    arena: new BufferArena(cache.device),
    family: family ?? kernelFamilyFor(cache.device),
  };
}

export function randomTensor(shape: number[], rng: Rng, lo = -1, hi = 1): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const data = new Float64Array(n);
  // Rounded to float32 so GPU and reference see the same numbers.
  for (let i = 0; i < n; i++) data[i] = Math.fround(rng.uniform(lo, hi));
  return { shape: [...shape], data };
}

export function upload(ctx: GpuContext, label: string, data: ArrayLike<number>): GPUBuffer {
  const buf = ctx.arena.storage(label, data.length);
  ctx.device.queue.writeBuffer(buf, 0, Float32Array.from(data));
  return buf;
}

function filled(ctx: GpuContext, label: string, n: number): GPUBuffer {
  return upload(ctx, label, new Float32Array(n).fill(SENTINEL));
}

export async function runLayer(c: OpCase): Promise<OpRun> {
  const ctx = await testContext(c.family);
  const model = buildSequential([c.layer], c.input);
  const built = model.layers[0];
  const rng = new Rng(c.seed ?? 1234);
  const x = randomTensor([c.batch, ...built.inputShape], rng);
  if (c.constant !== undefined) x.data.fill(c.constant);
  const dY = randomTensor([c.batch, ...built.outputShape], rng);
  const kSpec = built.params.find((p) => p.name === 'kernel');
  const bSpec = built.params.find((p) => p.name === 'bias');
  const kernel = kSpec ? randomTensor(kSpec.shape, rng) : null;
  const bias = bSpec ? randomTensor(bSpec.shape, rng).data : null;
  const isFlatten = c.layer.className === 'Flatten';
  const xBuf = upload(ctx, 'x', x.data);
  const dYBuf = upload(ctx, 'dY', dY.data);
  const yBuf = isFlatten ? xBuf : filled(ctx, 'y', dY.data.length);
  const dXBuf = c.first ? null : isFlatten ? dYBuf : filled(ctx, 'dX', x.data.length);
  const step = new Uint32Array(STEP.words);
  step[STEP.step] = c.step ?? 0;
  step[STEP.seed] = c.runSeed ?? 42;
  const stepBuf = ctx.arena.storage('step', STEP.words);
  ctx.device.queue.writeBuffer(stepBuf, 0, step);
  const io = {
    x: xBuf,
    y: yBuf,
    dX: dXBuf,
    dY: dYBuf,
    step: stepBuf,
    kernel: kernel ? upload(ctx, 'kernel', kernel.data) : undefined,
    bias: bias ? upload(ctx, 'bias', bias) : undefined,
    dKernel: kernel ? filled(ctx, 'dKernel', kernel.data.length) : undefined,
    dBias: bias ? filled(ctx, 'dBias', bias.length) : undefined,
  };
  const op = createLayerOp(ctx, built, io, {
    batch: c.batch,
    layerIndex: c.layerIndex ?? 0,
    softmaxInLoss: c.softmaxInLoss ?? false,
  });
  const allocations = submitOp(ctx, op, c.inference);
  const run: OpRun = {
    built,
    x,
    dY,
    kernel,
    bias,
    y: await readF32(ctx.device, yBuf, dY.data.length),
    dX: dXBuf ? await readF32(ctx.device, dXBuf, x.data.length) : null,
    dKernel: io.dKernel && kernel ? await readF32(ctx.device, io.dKernel, kernel.data.length) : null,
    dBias: io.dBias && bias ? await readF32(ctx.device, io.dBias, bias.length) : null,
  };
  // Running the recorded dispatches must not allocate.
  expect(ctx.arena.allocations).toBe(allocations);
  ctx.arena.destroyAll();
  return run;
}

/**
 * Encodes an op's forward (forwardInfer when `inference`, else forwardTrain then backward) in one compute pass
 * and submits it. Returns the arena's allocation count from before, for the check that replaying the recorded
 * dispatches allocates nothing.
 */
export function submitOp(ctx: GpuContext, op: LayerOp, inference = false): number {
  const allocations = ctx.arena.allocations;
  const enc = ctx.device.createCommandEncoder();
  const pass = enc.beginComputePass();
  encodeDispatches(pass, inference ? op.forwardInfer : op.forwardTrain);
  if (!inference) encodeDispatches(pass, op.backward);
  pass.end();
  ctx.device.queue.submit([enc.finish()]);
  return allocations;
}

/** max |got - ref| <= tol * (1 + max |ref|), with the worst element named on failure. */
export function expectClose(what: string, got: Float32Array | null, ref: Float64Array, tol = 1e-4): void {
  expect(got, `${what} was not computed`).not.toBeNull();
  const g = got as Float32Array;
  expect(g.length, `${what} length`).toBe(ref.length);
  let maxRef = 0;
  for (const v of ref) maxRef = Math.max(maxRef, Math.abs(v));
  let worst = 0;
  let at = 0;
  for (let i = 0; i < ref.length; i++) {
    const e = Math.abs(g[i] - ref[i]);
    if (!(e <= worst)) {
      worst = e;
      at = i;
    }
  }
  const bound = tol * (1 + maxRef);
  expect(
    worst,
    `${what}: worst error at ${at} (got ${g[at]}, want ${ref[at]}), bound ${bound}`,
  ).toBeLessThanOrEqual(bound);
}

/** Runs a case on the GPU and checks every output against the reference. Returns the run for extra checks. */
export async function checkLayer(c: OpCase): Promise<OpRun> {
  const run = await runLayer(c);
  const ref = referenceLayer(run, c);
  const tol = c.tol ?? 1e-4;
  const name = `${c.layer.className} ${JSON.stringify(c.input)} batch ${c.batch}${c.family ? ` (${c.family})` : ''}`;
  expectClose(`${name} y`, run.y, ref.y.data, tol);
  if (c.inference) return run;
  if (c.first) expect(run.dX).toBeNull();
  else expectClose(`${name} dX`, run.dX, ref.dX.data, tol);
  if (ref.dKernel) expectClose(`${name} dKernel`, run.dKernel, ref.dKernel.data, tol);
  if (ref.dBias) expectClose(`${name} dBias`, run.dBias, ref.dBias, tol);
  return run;
}

export interface LossRun {
  probs: Float32Array;
  dLogits: Float32Array;
  metrics: Float32Array;
}

/**
 * Runs the fused softmax + cross-entropy `repeats` times in `mode` on the given logits and labels (Int32Array:
 * sparse, else one-hot rows), metrics starting at zero. dLogits starts as the sentinel, so modes that must
 * not write it can be checked.
 */
export async function runLoss(
  logits: Float32Array,
  labels: Int32Array | Float32Array,
  classes: number,
  mode: 'train' | 'evaluate' | 'predict',
  repeats = 1,
): Promise<LossRun> {
  const ctx = await testContext();
  const batch = logits.length / classes;
  const sparse = labels instanceof Int32Array;
  const labelBuf = ctx.arena.storage('labels', labels.length);
  ctx.device.queue.writeBuffer(labelBuf, 0, labels.buffer, labels.byteOffset, labels.byteLength);
  const b = {
    logits: upload(ctx, 'logits', logits),
    labels: labelBuf,
    probs: filled(ctx, 'probs', logits.length),
    dLogits: filled(ctx, 'dLogits', logits.length),
    metrics: upload(ctx, 'metrics', [0, 0, 0, 0]),
  };
  const op = createLossOp(ctx, { batch, classes, sparse }, b);
  const enc = ctx.device.createCommandEncoder();
  const pass = enc.beginComputePass();
  for (let i = 0; i < repeats; i++) encodeDispatches(pass, op[mode]);
  pass.end();
  ctx.device.queue.submit([enc.finish()]);
  const run = {
    probs: await readF32(ctx.device, b.probs, logits.length),
    dLogits: await readF32(ctx.device, b.dLogits, logits.length),
    metrics: await readF32(ctx.device, b.metrics, 4),
  };
  ctx.arena.destroyAll();
  return run;
}

export { SENTINEL };
