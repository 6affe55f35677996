// The dataset on the GPU (uint8 images, four pixels per u32, uploaded once) and the batch gather of
// shaders/batch.wgsl: one recorded dispatch per (image set, order), replayed every step.

import type { ImageSet, Normalization } from '../data/types';
import { formatBytes } from '../gpu/arena';
import type { Dispatch, GpuContext } from '../gpu/context';
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

/** Where gathered batches go: the first layer's input [batch, dstH, dstW, C] and the loss's labels. */
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

/** Per-channel raw -> normalised map, value = raw * scale + shift, as src/reference/batch.ts. */
export function normalizationTable(norm: Normalization, channels: number): Float32Array {
  const t = new Float32Array(2 * channels);
  for (let c = 0; c < channels; c++) {
    if (norm.kind === 'scale255') {
      t[c] = 1 / 255;
      continue;
    }
    const pick = (v: number[], what: string) => {
      if (v.length !== 1 && v.length !== channels) {
        throw new Error(`normalization: ${what} has ${v.length} values for ${channels} channels`);
      }
      return v.length === 1 ? v[0] : v[c];
    };
    const mean = pick(norm.mean, 'mean');
    const std = pick(norm.std, 'std');
    if (!(std > 0)) throw new Error(`normalization: std must be > 0, got ${std}`);
    t[c] = 1 / (255 * std);
    t[channels + c] = -mean / std;
  }
  return t;
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
  ) {
    this.norm = ctx.arena.storage('gather/normalization', 2 * src.channels);
    ctx.device.queue.writeBuffer(this.norm, 0, gpuData(normalizationTable(src.normalization, src.channels)));
    this.pipeline = ctx.pipelines.get('batch', 'gather', { WG });
  }

  /** A dispatch gathering rows from `set` in the order of `indices`, or in order from `seqBase`. */
  dispatch(set: GpuImageSet, order: { indices: GPUBuffer } | { seqBase: number }, label: string): Dispatch {
    const { src, target: t } = this;
    const u = new ArrayBuffer(64);
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
    u32[12] = t.batch;
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
      workgroups: elementwiseGroups(t.batch * t.dstH * t.dstW * src.channels, WG),
      label: `gather ${label}`,
    };
  }
}

/** Signed offset of the centred source inside the destination; negative is a centred crop. */
function centredOffset(dst: number, src: number): number {
  return Math.sign(dst - src) * Math.floor(Math.abs(dst - src) / 2);
}
