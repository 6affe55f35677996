// Helpers shared by the ops: one-line dispatch recording, activation ids. GEMM tiles: gemm.ts.
import { bindBuffers, type Dispatch, type GpuContext } from '../gpu/context';
import type { ActivationName } from '../model/activations';
import type { LayerClassName, LayerOf } from '../model/layers';
import type { BuiltLayer } from '../model/sequential';
import { ACT_IDS, type LayerOp } from './types';

/** Records one dispatch of `stem.wgsl:entry` specialised with `constants`, buffers bound 0..n-1. */
export function record(
  ctx: GpuContext,
  stem: string,
  entry: string,
  constants: Record<string, number>,
  buffers: GPUBuffer[],
  workgroups: [number, number, number],
  label: string,
): Dispatch {
  const limit = ctx.device.limits.maxComputeWorkgroupsPerDimension;
  if (workgroups.some((w) => w > limit)) {
    throw new Error(
      `${label}: ${workgroups.join('x')} workgroups exceed this adapter's ${limit} per dimension; use a smaller batch`,
    );
  }
  const pipeline = ctx.pipelines.get(stem, entry, constants);
  return { pipeline, bindGroup: bindBuffers(ctx, pipeline, buffers, label), workgroups, label };
}

/**
 * A recorder for one layer's kernels of shaders/<stem>.wgsl: every dispatch gets `constants` (plus `extra`,
 * which overrides them) and the label `<layer>:<what>` (`what` defaults to the entry point).
 */
export function kernelsOf(
  ctx: GpuContext,
  stem: string,
  layerName: string,
  constants: Record<string, number>,
) {
  return (
    entry: string,
    buffers: GPUBuffer[],
    workgroups: [number, number, number],
    what: string = entry,
    extra?: Record<string, number>,
  ): Dispatch =>
    record(
      ctx,
      stem,
      entry,
      extra ? { ...constants, ...extra } : constants,
      buffers,
      workgroups,
      `${layerName}:${what}`,
    );
}

/** `built.layer` as one of `classes`; another class means the op table sent the wrong layer (a bug, not input). */
export function layerAs<C extends LayerClassName>(
  built: BuiltLayer,
  op: string,
  ...classes: C[]
): LayerOf<C> {
  const l = built.layer;
  if (!(classes as LayerClassName[]).includes(l.className)) throw new Error(`${op} got ${l.className}`);
  return l as LayerOf<C>;
}

/** The op of a layer with no training-only behaviour: the same forward in training and inference. */
export function statelessOp(layerName: string, forward: Dispatch[], backward: Dispatch[]): LayerOp {
  return { layerName, forwardTrain: forward, forwardInfer: forward, backward };
}

export { ACT_IDS } from './types';

/** Activations whose derivative is a function of their output, so conv/dense fuse them into their kernels. */
const FUSABLE = new Set([
  'linear',
  'relu',
  'sigmoid',
  'tanh',
  'elu',
  'leaky_relu',
  'relu6',
  'selu',
  'softplus',
]);

export function fusable(name: string): boolean {
  return FUSABLE.has(name);
}

export function actId(name: string): number {
  const id = ACT_IDS[name];
  if (id === undefined) throw new Error(`activation '${name}' has no GPU kernel`);
  return id;
}

/** Keras's default alpha: leaky_relu 0.2 (keras.activations.leaky_relu), elu 1. */
export function defaultAlpha(name: string): number {
  return name === 'leaky_relu' ? 0.2 : 1;
}

/** The activation a conv/dense layer applies itself: softmax moves to the loss when the trainer fuses it. */
export function layerActivation(name: ActivationName, softmaxInLoss: boolean): ActivationName {
  return softmaxInLoss && name === 'softmax' ? 'linear' : name;
}

export const ceilDiv = (a: number, b: number) => Math.ceil(a / b);
export const sizeOf = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** Workgroups for a grid-stride elementwise kernel over `count` elements. */
export function gridStride(count: number, wg = 64, cap = 1024): [number, number, number] {
  return [Math.max(1, Math.min(cap, ceilDiv(count, wg))), 1, 1];
}

/** TensorFlow's rule for one spatial axis: 'same' gives out = ceil(in / s) and pads floor(total / 2) before. */
export function axisPlan(size: number, k: number, stride: number, padding: 'valid' | 'same') {
  if (padding === 'valid') return { out: Math.floor((size - k) / stride) + 1, before: 0 };
  const out = Math.ceil(size / stride);
  const total = Math.max((out - 1) * stride + k - size, 0);
  return { out, before: Math.floor(total / 2) };
}
