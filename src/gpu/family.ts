// Which kernel family a device runs, chosen once when its GpuContext is made (src/gpu/context.ts).
//   'tiled'  workgroup-memory tiles and barriers: what real GPUs' memory hierarchy wants.
//   'direct' barrier-free register blocks read straight from storage: what CPU adapters want. On SwiftShader,
//            llvmpipe and lavapipe a workgroup barrier switches every invocation's coroutine and costs more
//            than workgroup memory saves (the CPU caches hold the tiles anyway): 2-4x faster per conv GEMM.
export type KernelFamily = 'direct' | 'tiled';

export const KERNEL_FAMILIES: readonly KernelFamily[] = ['tiled', 'direct'];

/**
 * The family for `device`, from GPUDevice.adapterInfo (Chrome 132+, Dawn's Node binding); where that is missing
 * we assume a GPU.
 */
export function kernelFamilyFor(device: GPUDevice): KernelFamily {
  const info = (device as Partial<Pick<GPUDevice, 'adapterInfo'>>).adapterInfo;
  if (!info) return 'tiled';
  const text = [info.vendor, info.architecture, info.device, info.description].join(' ').toLowerCase();
  return /swiftshader|llvmpipe|lavapipe/.test(text) ? 'direct' : 'tiled';
}
