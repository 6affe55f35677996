// The dataset on the GPU (uint8 images, four pixels per u32, uploaded once) and the batch gather of
// shaders/batch.wgsl: one recorded dispatch per (image set, order), replayed every step.

import { channelAffine } from '../data/channel-affine';
import type { ImageSet, Normalization } from '../data/types';
import { formatBytes } from '../gpu/arena';
import type { Dispatch, GpuContext } from '../gpu/context';
import { AUG_KINDS, type AugmentChain, FILL_IDS, inferenceChain } from '../model/augment-chain';
import { elementwiseGroups } from './optimizer';

const WG = 256;

export interface GpuImageSet {
  images: GPUBuffer;
  labels: GPUBuffer;
  count: number;
}

export interface SourceFormat {
  height: number;
  width: number;
  channels: number;
  normalization: Normalization;
}

/**
 * Where gathered batches go: the first layer's input and the loss's labels. Images are fitted to [dstH, dstW]
 * (the model's input); an augmentation chain then writes [chain.outH, chain.outW] (smaller after a RandomCrop).
 */
export interface GatherTarget {
  x: GPUBuffer;
  labels: GPUBuffer;
  batch: number;
  dstH: number;
  dstW: number;
}

/** Uploads `set` (or room for `capacity` images when it is null); the bytes are padded to whole u32s. */
export function uploadImageSet(
  ctx: GpuContext,
  label: string,
  src: SourceFormat,
  set: ImageSet | null,
  capacity = set?.count ?? 0,
): GpuImageSet {
  const imageBytes = src.height * src.width * src.channels;
  const bytes = capacity * imageBytes;
  const limit = ctx.device.limits.maxStorageBufferBindingSize;
  if (bytes > limit) {
    throw new Error(
      `the ${label} images take ${formatBytes(bytes)}, more than this GPU lets one shader read ` +
        `(${formatBytes(limit)}); use fewer samples or smaller images`,
    );
  }
  const words = Math.max(1, Math.ceil(bytes / 4));
  const images = ctx.arena.storage(`${label}/images`, words);
  const labels = ctx.arena.storage(`${label}/labels`, Math.max(1, capacity));
  if (set) {
    if (set.images.length !== set.count * imageBytes) {
      throw new Error(
        `the ${label} set has ${set.images.length} bytes for ${set.count} images of ` +
          `${src.height}x${src.width}x${src.channels}; expected ${set.count * imageBytes}`,
      );
    }
    writeImages(ctx, images, set.images, set.count * imageBytes);
    ctx.device.queue.writeBuffer(labels, 0, gpuData(set.labels), 0, set.count);
  }
  return { images, labels, count: capacity };
}

/**
 * Typed arrays from callers may be typed over ArrayBufferLike (e.g. SharedArrayBuffer from a worker); the
 * WebGPU typings want ArrayBuffer-backed views. writeBuffer copies the bytes either way.
 */
export function gpuData(a: ArrayBufferView): ArrayBufferView<ArrayBuffer> {
  return a as ArrayBufferView<ArrayBuffer>;
}

/** queue.writeBuffer needs a multiple of 4 bytes: a short tail is copied into a padded word. */
export function writeImages(ctx: GpuContext, buffer: GPUBuffer, bytes: Uint8Array, length: number): void {
  const whole = length & ~3;
  if (whole > 0) ctx.device.queue.writeBuffer(buffer, 0, gpuData(bytes), 0, whole);
  if (whole < length) {
    const tail = new Uint8Array(4);
    tail.set(bytes.subarray(whole, length));
    ctx.device.queue.writeBuffer(buffer, whole, tail);
  }
}

/** Per-channel raw -> normalised map, value = raw * scale + shift (src/data/channel-affine.ts): [scale, shift]. */
export function normalizationTable(norm: Normalization, channels: number): Float32Array {
  const { scale, shift } = channelAffine(norm, channels);
  return Float32Array.from([...scale, ...shift]);
}

/** Stage words of the Params uniform (struct Stage in shaders/batch.wgsl: 12 words) and their count. */
const STAGE_WORDS = 12;
const MAX_STAGES = 8;
const PARAM_WORDS = 20;

function writeStages(u: ArrayBuffer, chain: AugmentChain, training: boolean): void {
  if (chain.stages.length > MAX_STAGES) {
    throw new Error(
      `${chain.stages.length} augmentation layers; the batch gather applies at most ${MAX_STAGES}`,
    );
  }
  const w = new Uint32Array(u);
  const f = new Float32Array(u);
  chain.stages.forEach((st, k) => {
    const o = PARAM_WORDS + k * STAGE_WORDS;
    let flags = 0;
    let range = [0, 0, 0, 0];
    let out = [0, 0];
    if (st.kind === 'flip') flags = (st.horizontal ? 1 : 0) | (st.vertical ? 2 : 0);
    else if (st.kind === 'translate') range = [...st.height, ...st.width];
    else if (st.kind === 'rotate') range = [...st.range, 0, 0];
    else if (st.kind === 'zoom') {
      flags = st.width ? 1 : 0;
      range = [...st.height, ...(st.width ?? [0, 0])];
    } else {
      flags = training ? 1 : 0;
      out = [st.height, st.width];
    }
    w.set([AUG_KINDS[st.kind], flags, st.seed >>> 0], o);
    f.set([st.inH, st.inW, ...out, ...range], o + 4);
  });
}

export class BatchGather {
  private readonly norm: GPUBuffer;
  private readonly pipeline: GPUComputePipeline;

  constructor(
    private readonly ctx: GpuContext,
    private readonly src: SourceFormat,
    private readonly target: GatherTarget,
    private readonly mode: 'pad' | 'resize',
    private readonly step: GPUBuffer,
    private readonly chain: AugmentChain | null = null,
  ) {
    this.norm = ctx.arena.storage('gather/normalization', 3 * src.channels);
    // [scale, shift, constant fill value of the augmentation], each one per channel.
    const fill = chain?.fill ?? new Array<number>(src.channels).fill(0);
    if (fill.length !== src.channels) {
      throw new Error(`augmentation: ${fill.length} fill values for ${src.channels} channels`);
    }
    const table = [...normalizationTable(src.normalization, src.channels), ...fill];
    ctx.device.queue.writeBuffer(this.norm, 0, Float32Array.from(table));
    const ids: Record<string, number> = {};
    for (const [k, v] of Object.entries(AUG_KINDS)) ids[`AUG_${k.toUpperCase()}`] = v;
    for (const [k, v] of Object.entries(FILL_IDS)) ids[`FILL_${k.toUpperCase()}`] = v;
    this.pipeline = ctx.pipelines.get('batch', 'gather', { WG, AUGMENT: chain ? 1 : 0, ...ids });
  }

  /**
   * A dispatch gathering rows from `set` in the order of `indices`, or in order from `seqBase`; `training`
   * applies the augmentation chain at random, otherwise only its inference part (RandomCrop's resize).
   */
  dispatch(
    set: GpuImageSet,
    order: { indices: GPUBuffer } | { seqBase: number },
    label: string,
    training = false,
  ): Dispatch {
    const { src, target: t } = this;
    const chain = this.chain && (training ? this.chain : inferenceChain(this.chain));
    const u = new ArrayBuffer((PARAM_WORDS + MAX_STAGES * STAGE_WORDS) * 4);
    const u32 = new Uint32Array(u);
    const i32 = new Int32Array(u);
    const f32 = new Float32Array(u);
    u32.set([src.height, src.width, src.channels, t.dstH, t.dstW, this.mode === 'resize' ? 1 : 0]);
    u32[6] = 'indices' in order ? 1 : 0;
    u32[7] = 'seqBase' in order ? order.seqBase : 0;
    i32[8] = centredOffset(t.dstH, src.height);
    i32[9] = centredOffset(t.dstW, src.width);
    f32[10] = src.height / t.dstH;
    f32[11] = src.width / t.dstW;
    const outH = chain ? chain.outH : t.dstH;
    const outW = chain ? chain.outW : t.dstW;
    u32.set([t.batch, outH, outW, chain?.stages.length ?? 0], 12);
    if (chain) {
      u32.set([FILL_IDS[chain.fillMode], chain.interpolation === 'nearest' ? 1 : 0], 16);
      writeStages(u, chain, training);
    }
    const params = this.ctx.arena.uniform(`gather/${label}`, u);
    // In-order gathers read no index: the labels buffer stands in for the binding (read-only, so no aliasing).
    const indices = 'indices' in order ? order.indices : set.labels;
    const buffers = [set.images, set.labels, indices, this.norm, this.step, t.x, t.labels, params];
    const bindGroup = this.ctx.device.createBindGroup({
      label: `gather/${label}`,
      layout: this.pipeline.getBindGroupLayout(0),
      entries: buffers.map((buffer, binding) => ({ binding, resource: { buffer } })),
    });
    return {
      pipeline: this.pipeline,
      bindGroup,
      workgroups: elementwiseGroups(t.batch * outH * outW * src.channels, WG),
      label: `gather ${label}`,
    };
  }
}

/** Signed offset of the centred source inside the destination; negative is a centred crop. */
function centredOffset(dst: number, src: number): number {
  return Math.sign(dst - src) * Math.floor(Math.abs(dst - src) / 2);
}
