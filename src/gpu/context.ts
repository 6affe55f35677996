// What every op needs from the GPU: the device, the pipeline cache, the buffer arena and the kernel family.
import { BufferArena } from './arena';
import { type KernelFamily, kernelFamilyFor } from './family';
import { PipelineCache } from './pipelines';

export interface GpuContext {
  device: GPUDevice;
  pipelines: PipelineCache;
  arena: BufferArena;
  /** The GEMM kernels every op records (src/gpu/family.ts): fixed for the context's life. */
  readonly family: KernelFamily;
}

/** `family` defaults to the one the adapter wants; tests and benchmarks pass it to run the other. */
export function createContext(device: GPUDevice, family: KernelFamily = kernelFamilyFor(device)): GpuContext {
  return { device, pipelines: new PipelineCache(device), arena: new BufferArena(device), family };
}

/** One bind group with buffers bound in order 0..n-1 (the WGSL convention: inputs, outputs, Params last). */
export function bindBuffers(
  ctx: GpuContext,
  pipeline: GPUComputePipeline,
  buffers: GPUBuffer[],
  label?: string,
): GPUBindGroup {
  return ctx.device.createBindGroup({
    label,
    layout: pipeline.getBindGroupLayout(0),
    entries: buffers.map((buffer, binding) => ({ binding, resource: { buffer } })),
  });
}

/** A recorded dispatch: made once when a model is compiled, replayed every step. */
export interface Dispatch {
  pipeline: GPUComputePipeline;
  bindGroup: GPUBindGroup;
  workgroups: [number, number, number];
  label?: string;
}

export function encodeDispatches(pass: GPUComputePassEncoder, dispatches: readonly Dispatch[]): void {
  for (const d of dispatches) {
    pass.setPipeline(d.pipeline);
    pass.setBindGroup(0, d.bindGroup);
    pass.dispatchWorkgroups(d.workgroups[0], d.workgroups[1], d.workgroups[2]);
  }
}
