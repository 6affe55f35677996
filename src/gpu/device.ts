// Adapter and device acquisition with errors a person can act on. The GPU object is passed in so the same
// code runs in a page (navigator.gpu), a worker (self.navigator.gpu) and Node (the `webgpu` package).
export class WebGpuUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WebGpuUnavailableError';
  }
}

export interface AcquiredDevice {
  device: GPUDevice;
  adapterName: string;
  hasTimestamps: boolean;
  limits: GPUSupportedLimits;
}

export function gpuFromEnvironment(): GPU | null {
  const nav = (globalThis as { navigator?: { gpu?: GPU } }).navigator;
  return nav?.gpu ?? null;
}

export async function acquireDevice(
  gpu: GPU | null = gpuFromEnvironment(),
  wantTimestamps = false,
): Promise<AcquiredDevice> {
  if (!gpu) {
    throw new WebGpuUnavailableError(
      'This browser has no WebGPU (navigator.gpu is missing). Use Chrome or Edge 113 or newer; on Linux start ' +
        'Chromium with --enable-unsafe-webgpu --enable-features=Vulkan, or enable WebGPU in about:flags / Firefox Nightly.',
    );
  }
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) {
    throw new WebGpuUnavailableError(
      'WebGPU is present but no GPU adapter was found: the GPU may be blocklisted or drivers missing. ' +
        'Check chrome://gpu, update the graphics driver, or start Chromium with --enable-unsafe-webgpu.',
    );
  }
  const hasTimestamps = wantTimestamps && adapter.features.has('timestamp-query');
  const al = adapter.limits;
  const device = await adapter.requestDevice({
    requiredFeatures: hasTimestamps ? ['timestamp-query'] : [],
    // Ask for what the adapter offers: big datasets live on the GPU as one storage buffer.
    requiredLimits: {
      maxStorageBufferBindingSize: al.maxStorageBufferBindingSize,
      maxBufferSize: al.maxBufferSize,
      maxComputeWorkgroupStorageSize: al.maxComputeWorkgroupStorageSize,
      maxComputeInvocationsPerWorkgroup: al.maxComputeInvocationsPerWorkgroup,
      maxComputeWorkgroupSizeX: al.maxComputeWorkgroupSizeX,
      maxComputeWorkgroupSizeY: al.maxComputeWorkgroupSizeY,
      maxStorageBuffersPerShaderStage: al.maxStorageBuffersPerShaderStage,
    },
  });
  const info = adapter.info;
  const adapterName =
    [info?.vendor, info?.architecture, info?.device, info?.description]
      .filter((s) => s && s.length > 0)
      .join(' ') || 'WebGPU adapter';
  return { device, adapterName, hasTimestamps, limits: device.limits };
}
