// Pipelines are compiled once per (shader, entry point, constants) and reused by every op and model.
import { shaderSource } from './shaders';

export class PipelineCache {
  private readonly modules = new Map<string, GPUShaderModule>();
  private readonly pipelines = new Map<string, GPUComputePipeline>();
  constructor(readonly device: GPUDevice) {}

  module(stem: string): GPUShaderModule {
    let m = this.modules.get(stem);
    if (!m) {
      m = this.device.createShaderModule({ label: stem, code: shaderSource(stem) });
      this.modules.set(stem, m);
    }
    return m;
  }

  /** `constants` are WGSL `override`s (workgroup sizes, tile sizes, activation ids). */
  get(stem: string, entryPoint: string, constants: Record<string, number> = {}): GPUComputePipeline {
    const key = `${stem}:${entryPoint}:${JSON.stringify(constants)}`;
    let p = this.pipelines.get(key);
    if (!p) {
      p = this.device.createComputePipeline({
        label: key,
        layout: 'auto',
        compute: { module: this.module(stem), entryPoint, constants },
      });
      this.pipelines.set(key, p);
    }
    return p;
  }
}
