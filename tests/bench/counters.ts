// Counts WebGPU API calls made by whatever runs in the page (Paperweight, TF.js, jax-js alike) by wrapping the
// prototype methods once, before any device exists. The bench reads the counters around the timed steps to
// check the steady state: no buffer or bind-group creation per step, and how many submits a step costs.
import type { GpuCounts } from './types';

const counts: GpuCounts = { createBuffer: 0, createBindGroup: 0, submit: 0, writeBuffer: 0, dispatch: 0 };
let installed = false;

type Method = (...args: unknown[]) => unknown;

function wrap(proto: object | undefined, method: string, key: keyof GpuCounts): void {
  if (!proto) return;
  const target = proto as Record<string, Method>;
  const original = target[method];
  if (typeof original !== 'function') return;
  target[method] = function (this: unknown, ...args: unknown[]) {
    counts[key]++;
    return original.apply(this, args);
  };
}

// Live buffer bytes as createBuffer minus destroy: a memory figure for contenders that have no memory query.
const sizes = new WeakMap<object, number>();
let live = 0;

export function liveGpuBytes(): number {
  return live;
}

export function installGpuCounters(): void {
  if (installed || typeof GPUDevice === 'undefined') return;
  installed = true;
  const device = GPUDevice.prototype as unknown as Record<string, Method>;
  const create = device.createBuffer;
  device.createBuffer = function (this: unknown, ...args: unknown[]) {
    const buffer = create.apply(this, args) as object;
    const size = (args[0] as GPUBufferDescriptor).size;
    sizes.set(buffer, size);
    live += size;
    return buffer;
  };
  const proto = GPUBuffer.prototype as unknown as Record<string, Method>;
  const destroy = proto.destroy;
  proto.destroy = function (this: object, ...args: unknown[]) {
    const size = sizes.get(this);
    if (size !== undefined) {
      live -= size;
      sizes.delete(this);
    }
    return destroy.apply(this, args);
  };
  wrap(GPUDevice.prototype, 'createBuffer', 'createBuffer');
  wrap(GPUDevice.prototype, 'createBindGroup', 'createBindGroup');
  wrap(GPUQueue.prototype, 'submit', 'submit');
  wrap(GPUQueue.prototype, 'writeBuffer', 'writeBuffer');
  wrap(GPUComputePassEncoder.prototype, 'dispatchWorkgroups', 'dispatch');
}

export function snapshotCounts(): GpuCounts {
  return { ...counts };
}

export function diffCounts(after: GpuCounts, before: GpuCounts): GpuCounts {
  return {
    createBuffer: after.createBuffer - before.createBuffer,
    createBindGroup: after.createBindGroup - before.createBindGroup,
    submit: after.submit - before.submit,
    writeBuffer: after.writeBuffer - before.writeBuffer,
    dispatch: after.dispatch - before.dispatch,
  };
}
