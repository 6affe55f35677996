// A WebGPU device in Node through Dawn (the `webgpu` package). On this machine Dawn finds SwiftShader through
// VK_ICD_FILENAMES (set by scripts/test.mjs); with a real GPU and no such variable, it uses that GPU.
import { create, globals } from 'webgpu';
import { type AcquiredDevice, acquireDevice } from '../../src/gpu/device';

let cached: Promise<AcquiredDevice> | null = null;
// Held for the life of the process: if the GPU object is garbage-collected, Dawn tears down the instance under
// the live device and the process aborts (std::system_error) at the next map or submit.
const keepAlive: GPU[] = [];

export function nodeGpu(): Promise<AcquiredDevice> {
  if (!cached) {
    Object.assign(globalThis, globals);
    const gpu = create([]) as unknown as GPU;
    keepAlive.push(gpu);
    cached = acquireDevice(gpu, true).catch((e: unknown) => {
      const hint =
        'No WebGPU adapter in Node. On Debian install the CPU adapter with `apt-get install -y chromium libvulkan1` ' +
        'and run with VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json (npm test sets it).';
      throw new Error(`${hint}\nCause: ${e instanceof Error ? e.message : String(e)}`);
    });
  }
  return cached;
}

/** Copies a GPU buffer to the CPU (tests only: it waits for the queue). */
export async function readBuffer(
  device: GPUDevice,
  buffer: GPUBuffer,
  bytes = buffer.size,
): Promise<ArrayBuffer> {
  const staging = device.createBuffer({
    size: bytes,
    usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
  });
  const enc = device.createCommandEncoder();
  enc.copyBufferToBuffer(buffer, 0, staging, 0, bytes);
  device.queue.submit([enc.finish()]);
  await staging.mapAsync(GPUMapMode.READ);
  const out = staging.getMappedRange().slice(0);
  staging.unmap();
  staging.destroy();
  return out;
}

export async function readF32(device: GPUDevice, buffer: GPUBuffer, count: number): Promise<Float32Array> {
  return new Float32Array(await readBuffer(device, buffer, Math.ceil((count * 4) / 4) * 4), 0, count);
}
